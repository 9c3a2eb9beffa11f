package io.natsmigrate.consumer;

import java.time.Duration;
import java.util.Objects;

/** What a {@link MessageHandler} decided about a message. */
public final class Outcome {

    /** The kinds of outcome. */
    public enum Kind {
        /** Done: acknowledge. */
        ACK,
        /** Not now: redeliver after the delay (or the consumer's backoff). */
        NAK,
        /** Never: terminate, with a reason that reaches the DLQ. */
        TERM,
        /** Handed off: the handler settles it later through {@link Delivery}; heartbeats continue until then. */
        IN_PROGRESS
    }

    private static final Outcome ACK = new Outcome(Kind.ACK, null, null);
    private static final Outcome IN_PROGRESS = new Outcome(Kind.IN_PROGRESS, null, null);

    private final Kind kind;
    private final Duration delay;
    private final String reason;

    private Outcome(Kind kind, Duration delay, String reason) {
        this.kind = kind;
        this.delay = delay;
        this.reason = reason;
    }

    public static Outcome ack() {
        return ACK;
    }

    /** Redeliver using the consumer's backoff schedule. */
    public static Outcome nak() {
        return new Outcome(Kind.NAK, null, null);
    }

    /** Redeliver after {@code delay}. */
    public static Outcome nak(Duration delay) {
        return new Outcome(Kind.NAK, Objects.requireNonNull(delay, "delay"), null);
    }

    /** Stop redelivering; the server emits a MSG_TERMINATED advisory carrying {@code reason}. */
    public static Outcome term(String reason) {
        return new Outcome(Kind.TERM, null, Objects.requireNonNull(reason, "reason"));
    }

    /** The handler keeps the message and settles it later with {@link Delivery#ack()} and friends. */
    public static Outcome inProgress() {
        return IN_PROGRESS;
    }

    public Kind kind() {
        return kind;
    }

    public Duration delay() {
        return delay;
    }

    public String reason() {
        return reason;
    }
}
