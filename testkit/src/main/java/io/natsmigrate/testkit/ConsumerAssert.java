package io.natsmigrate.testkit;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerInfo;

import java.io.IOException;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions on a consumer's live state. Obtain through {@link NatsAssertions#assertThatConsumer}. */
public final class ConsumerAssert extends LiveAssert<ConsumerAssert> {

    /** JetStream's error code for "consumer not found". */
    private static final int CONSUMER_NOT_FOUND = 10014;

    private final JetStreamManagement jsm;
    private final String stream;
    private final String consumer;

    ConsumerAssert(JetStreamManagement jsm, String stream, String consumer) {
        super("consumer " + Objects.requireNonNull(stream, "stream") + " > "
                + Objects.requireNonNull(consumer, "consumer"), ConsumerAssert.class);
        this.jsm = Objects.requireNonNull(jsm, "jsm");
        this.stream = stream;
        this.consumer = consumer;
    }

    /** The consumer exists. */
    public ConsumerAssert exists() {
        return check(this::info);
    }

    /** {@code num_pending}: messages in the stream not yet delivered to this consumer. */
    public ConsumerAssert hasNumPending(long n) {
        return check(() -> assertThat(info().getNumPending()).as("num_pending of %s", actual).isEqualTo(n));
    }

    /** {@code num_ack_pending}: delivered messages awaiting an ack. */
    public ConsumerAssert hasNumAckPending(long n) {
        return check(() -> assertThat(info().getNumAckPending()).as("num_ack_pending of %s", actual).isEqualTo(n));
    }

    /** Nothing pending and nothing awaiting an ack: the consumer is drained. */
    public ConsumerAssert isDrained() {
        return check(() -> {
            ConsumerInfo i = info();
            assertThat(i.getNumPending()).as("num_pending of %s", actual).isZero();
            assertThat(i.getNumAckPending()).as("num_ack_pending of %s", actual).isZero();
        });
    }

    /** The ack floor's stream sequence is {@code streamSeq}. */
    public ConsumerAssert hasAckFloor(long streamSeq) {
        return check(() -> assertThat(info().getAckFloor().getStreamSequence()).as("ack floor (stream sequence) of %s",
                actual).isEqualTo(streamSeq));
    }

    /** The last delivered stream sequence is {@code streamSeq}. */
    public ConsumerAssert hasDeliveredStreamSequence(long streamSeq) {
        return check(() -> assertThat(info().getDelivered().getStreamSequence())
                .as("delivered stream sequence of %s", actual).isEqualTo(streamSeq));
    }

    /** {@code num_redelivered}. */
    public ConsumerAssert hasNumRedelivered(long n) {
        return check(() -> assertThat(info().getRedelivered()).as("num_redelivered of %s", actual).isEqualTo(n));
    }

    /** The consumer is paused (server 2.11+). */
    public ConsumerAssert isPaused() {
        return check(() -> assertThat(info().getPaused()).as("paused state of %s", actual).isTrue());
    }

    private ConsumerInfo info() throws IOException, JetStreamApiException {
        try {
            return jsm.getConsumerInfo(stream, consumer);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == CONSUMER_NOT_FOUND) {
                failWithMessage("Expected %s to exist, but the server has no such consumer", actual);
            }
            throw e;
        }
    }
}
