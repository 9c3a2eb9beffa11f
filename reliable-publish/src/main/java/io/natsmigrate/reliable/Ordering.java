package io.natsmigrate.reliable;

/**
 * The ordering guarantee of a {@link ReliablePublisher}.
 *
 * <p>{@link #UNORDERED}: messages are sent in call order and usually stored in that order, but a retried message
 * is stored after messages sent later on the same subject. {@link #PER_SUBJECT}: messages on one subject are
 * stored in call order, retries included, because a subject has at most one message in flight (subjects still
 * proceed in parallel); throughput per subject is then bounded by the round trip.
 */
public enum Ordering {
    /** Pipelined; retries may reorder. The default and the fastest. */
    UNORDERED,
    /** Call order per subject, also across retries. */
    PER_SUBJECT
}
