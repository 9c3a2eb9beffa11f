package io.natsmigrate.reliable;

import io.nats.client.impl.Headers;
import io.natsmigrate.primitives.Subjects;

import java.util.Objects;

/**
 * A condition the server checks before storing a message (compare-and-set). Combine with {@code and...}:
 *
 * <pre>{@code
 * publisher.publish("orders.42", event, Expectation.lastSubjectSequence(17));       // append with expected version
 * publisher.publish("orders.42", event, Expectation.lastSubjectSequence(17, "orders.>")); // 2.11+: any subject in filter
 * publisher.publish("ledger", entry, Expectation.lastSequence(1041).andStream("LEDGER"));
 * }</pre>
 *
 * A failed check raises {@link ExpectationFailedException}.
 */
public final class Expectation {

    private static final long UNSET = -1;

    private final String stream;
    private final long lastSequence;
    private final long lastSubjectSequence;
    private final String lastSubjectSequenceSubject;
    private final String lastMsgId;

    private Expectation(String stream, long lastSequence, long lastSubjectSequence, String lastSubjectSequenceSubject,
                        String lastMsgId) {
        this.stream = stream;
        this.lastSequence = lastSequence;
        this.lastSubjectSequence = lastSubjectSequence;
        this.lastSubjectSequenceSubject = lastSubjectSequenceSubject;
        this.lastMsgId = lastMsgId;
    }

    /** No condition. */
    public static Expectation none() {
        return new Expectation(null, UNSET, UNSET, null, null);
    }

    /** The stream's last sequence must be {@code seq} (0: the stream is empty). */
    public static Expectation lastSequence(long seq) {
        return none().andLastSequence(seq);
    }

    /** The last sequence stored on the message's subject must be {@code seq} (0: no message on it yet). */
    public static Expectation lastSubjectSequence(long seq) {
        return none().andLastSubjectSequence(seq);
    }

    /**
     * The last sequence stored on any subject matching {@code filter} must be {@code seq} (server 2.11+,
     * header {@code Nats-Expected-Last-Subject-Sequence-Subject}).
     */
    public static Expectation lastSubjectSequence(long seq, String filter) {
        Subjects.requireFilter(filter);
        Expectation e = none().andLastSubjectSequence(seq);
        return new Expectation(e.stream, e.lastSequence, e.lastSubjectSequence, filter, e.lastMsgId);
    }

    /** The stream's last message must have Msg-Id {@code msgId}. */
    public static Expectation lastMsgId(String msgId) {
        return none().andLastMsgId(msgId);
    }

    /** The subject must belong to stream {@code stream}. */
    public static Expectation stream(String stream) {
        return none().andStream(stream);
    }

    public Expectation andStream(String stream) {
        requireText("stream", stream);
        return new Expectation(stream, lastSequence, lastSubjectSequence, lastSubjectSequenceSubject, lastMsgId);
    }

    public Expectation andLastSequence(long seq) {
        requireSequence(seq);
        return new Expectation(stream, seq, lastSubjectSequence, lastSubjectSequenceSubject, lastMsgId);
    }

    public Expectation andLastSubjectSequence(long seq) {
        requireSequence(seq);
        return new Expectation(stream, lastSequence, seq, lastSubjectSequenceSubject, lastMsgId);
    }

    public Expectation andLastMsgId(String msgId) {
        requireText("msgId", msgId);
        return new Expectation(stream, lastSequence, lastSubjectSequence, lastSubjectSequenceSubject, msgId);
    }

    /** True when no condition is set. */
    public boolean isNone() {
        return stream == null && lastSequence == UNSET && lastSubjectSequence == UNSET && lastMsgId == null;
    }

    /** True when it uses the 2.11+ filter-subject form. */
    boolean usesSubjectFilter() {
        return lastSubjectSequenceSubject != null;
    }

    /** Writes the expectation headers. */
    void applyTo(Headers h) {
        if (stream != null) {
            h.put("Nats-Expected-Stream", stream);
        }
        if (lastSequence != UNSET) {
            h.put("Nats-Expected-Last-Sequence", Long.toString(lastSequence));
        }
        if (lastSubjectSequence != UNSET) {
            h.put("Nats-Expected-Last-Subject-Sequence", Long.toString(lastSubjectSequence));
            if (lastSubjectSequenceSubject != null) {
                h.put("Nats-Expected-Last-Subject-Sequence-Subject", lastSubjectSequenceSubject);
            }
        }
        if (lastMsgId != null) {
            h.put("Nats-Expected-Last-Msg-Id", lastMsgId);
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Expectation[");
        if (stream != null) {
            sb.append(" stream=").append(stream);
        }
        if (lastSequence != UNSET) {
            sb.append(" lastSequence=").append(lastSequence);
        }
        if (lastSubjectSequence != UNSET) {
            sb.append(" lastSubjectSequence=").append(lastSubjectSequence);
            if (lastSubjectSequenceSubject != null) {
                sb.append(" on ").append(lastSubjectSequenceSubject);
            }
        }
        if (lastMsgId != null) {
            sb.append(" lastMsgId=").append(lastMsgId);
        }
        return sb.append(" ]").toString();
    }

    private static void requireSequence(long seq) {
        if (seq < 0) {
            throw new IllegalArgumentException("An expected sequence must be >= 0 (0 means \"nothing stored yet\"),"
                    + " was " + seq);
        }
    }

    private static void requireText(String what, String value) {
        Objects.requireNonNull(value, what);
        if (value.isBlank()) {
            throw new IllegalArgumentException("The expected " + what + " must not be blank");
        }
    }
}
