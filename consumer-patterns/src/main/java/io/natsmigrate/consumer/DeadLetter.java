package io.natsmigrate.consumer;

import io.nats.client.impl.Headers;

/**
 * A dead letter as stored in the DLQ stream: the original message (when it could still be read) plus metadata.
 *
 * @param dlqSequence its sequence in the DLQ stream
 * @param stream the original stream
 * @param subject the original subject (empty when the original was gone)
 * @param sequence the original stream sequence
 * @param consumer the consumer that gave up on it
 * @param deliveries delivery attempts made
 * @param reason {@code max_deliveries} or {@code terminated}
 * @param termReason the reason given with AckTerm, if any
 * @param originalMissing true when the original was already gone (e.g. removed after AckTerm on a work-queue
 *                        stream): the dead letter then has the metadata only
 * @param headers all headers of the dead letter
 * @param data the original payload (empty when missing)
 */
public record DeadLetter(long dlqSequence, String stream, String subject, long sequence, String consumer,
                         long deliveries, String reason, String termReason, boolean originalMissing, Headers headers,
                         byte[] data) {

    /** Metadata header names, all starting with {@code DLQ-}; a repeated dead-lettering replaces them. */
    public static final String STREAM = "DLQ-Stream";
    public static final String SUBJECT = "DLQ-Subject";
    public static final String SEQUENCE = "DLQ-Sequence";
    public static final String CONSUMER = "DLQ-Consumer";
    public static final String DELIVERIES = "DLQ-Deliveries";
    public static final String REASON = "DLQ-Reason";
    public static final String TERM_REASON = "DLQ-Term-Reason";
    public static final String ORIGINAL_TIME = "DLQ-Original-Time";
    public static final String FAILED_TIME = "DLQ-Failed-Time";
    public static final String DOMAIN = "DLQ-Domain";
    public static final String ORIGINAL_MISSING = "DLQ-Original-Missing";
    public static final String ORIGINAL_MSG_ID = "DLQ-Original-Msg-Id";
    public static final String REDRIVEN_FROM = "DLQ-Redriven-From";

    static DeadLetter from(long dlqSequence, Headers h, byte[] data) {
        return new DeadLetter(dlqSequence, h.getFirst(STREAM), h.getFirst(SUBJECT), parse(h.getFirst(SEQUENCE)),
                h.getFirst(CONSUMER), parse(h.getFirst(DELIVERIES)), h.getFirst(REASON), h.getFirst(TERM_REASON),
                "true".equals(h.getFirst(ORIGINAL_MISSING)), h, data);
    }

    private static long parse(String s) {
        return s == null || s.isEmpty() ? 0 : Long.parseLong(s);
    }
}
