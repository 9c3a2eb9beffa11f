package io.natsmigrate.testkit;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StreamInfo;
import io.nats.client.api.StreamInfoOptions;
import io.nats.client.api.StreamState;

import java.io.IOException;
import java.util.Map;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions on a stream's live state. Obtain through {@link NatsAssertions#assertThatStream}. */
public final class StreamAssert extends LiveAssert<StreamAssert> {

    /** JetStream's error code for "stream not found". */
    private static final int STREAM_NOT_FOUND = 10059;

    private final JetStreamManagement jsm;
    private final String stream;

    StreamAssert(JetStreamManagement jsm, String stream) {
        super("stream " + Objects.requireNonNull(stream, "stream"), StreamAssert.class);
        this.jsm = Objects.requireNonNull(jsm, "jsm");
        this.stream = stream;
    }

    /** The stream exists. */
    public StreamAssert exists() {
        return check(this::info);
    }

    /** The stream does not exist. */
    public StreamAssert doesNotExist() {
        return check(() -> {
            try {
                jsm.getStreamInfo(stream);
                failWithMessage("Expected stream %s not to exist, but it does", stream);
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
                    throw e;
                }
            }
        });
    }

    /** The stream holds exactly {@code n} messages. */
    public StreamAssert hasMessages(long n) {
        return check(() -> assertThat(state().getMsgCount()).as("messages in stream %s", stream).isEqualTo(n));
    }

    /** The stream holds no message. */
    public StreamAssert isEmpty() {
        return hasMessages(0);
    }

    /** The stream's last sequence is {@code seq}. */
    public StreamAssert hasLastSequence(long seq) {
        return check(() -> assertThat(state().getLastSequence()).as("last sequence of %s", stream).isEqualTo(seq));
    }

    /** The stream's first sequence is {@code seq}. */
    public StreamAssert hasFirstSequence(long seq) {
        return check(() -> assertThat(state().getFirstSequence()).as("first sequence of %s", stream).isEqualTo(seq));
    }

    /** The stream holds {@code n} messages on {@code subject} (a literal subject). */
    public StreamAssert hasSubjectCount(String subject, long n) {
        Objects.requireNonNull(subject, "subject");
        return check(() -> {
            StreamInfo info = jsm.getStreamInfo(stream, StreamInfoOptions.filterSubjects(subject));
            Map<String, Long> counts = info.getStreamState().getSubjectMap();
            assertThat(counts.getOrDefault(subject, 0L)).as("messages on %s in stream %s", subject, stream)
                    .isEqualTo(n);
        });
    }

    /** The stream has {@code n} consumers. */
    public StreamAssert hasConsumers(long n) {
        return check(() -> assertThat(state().getConsumerCount()).as("consumers of %s", stream).isEqualTo(n));
    }

    private StreamState state() throws IOException, JetStreamApiException {
        return info().getStreamState();
    }

    private StreamInfo info() throws IOException, JetStreamApiException {
        try {
            return jsm.getStreamInfo(stream);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == STREAM_NOT_FOUND) {
                failWithMessage("Expected stream %s to exist, but the server has no such stream", stream);
            }
            throw e;
        }
    }
}
