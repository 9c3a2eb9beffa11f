package io.natsmigrate.primitives;

/**
 * JetStream API error codes ({@code JetStreamApiException.getApiErrorCode()}) the project acts on, from
 * nats-server's {@code server/errors.json}. Classify errors by these, never by message text.
 */
public final class JetStreamErrorCodes {

    private JetStreamErrorCodes() {
    }

    /** Stream not found. */
    public static final int STREAM_NOT_FOUND = 10059;
    /** No message found (a get by sequence or next-by-subject found nothing). */
    public static final int NO_MESSAGE_FOUND = 10037;
    /** Consumer not found. */
    public static final int CONSUMER_NOT_FOUND = 10014;
    /** Expected stream does not match. */
    public static final int WRONG_EXPECTED_STREAM = 10060;
    /** Expected last msg id does not match. */
    public static final int WRONG_LAST_MSG_ID = 10070;
    /** Expected last sequence does not match (older servers). */
    public static final int WRONG_LAST_SEQUENCE = 10071;
    /** Expected last sequence does not match (newer servers, with the current sequence). */
    public static final int WRONG_LAST_SEQUENCE_CONSTANT = 10164;
    /** Message larger than the stream's {@code max_msg_size}. */
    public static final int MESSAGE_TOO_LARGE = 10054;
    /** A message with this Msg-Id is being processed right now: retry. */
    public static final int DUPLICATE_MSG_ID_IN_PROCESS = 10158;
    /** A counter increment ({@code Nats-Incr}) on a stream without {@code allow_msg_counter}. */
    public static final int COUNTERS_DISABLED = 10168;
    /** Atomic publish not enabled on the stream. */
    public static final int ATOMIC_PUBLISH_DISABLED = 10174;
    /** Atomic batch message without batch sequence. */
    public static final int ATOMIC_PUBLISH_MISSING_SEQ = 10175;
    /** Atomic batch incomplete (gap, abandoned, or a rejected message). */
    public static final int ATOMIC_PUBLISH_INCOMPLETE = 10176;
    /** Atomic batch uses a header batches do not support. */
    public static final int ATOMIC_PUBLISH_UNSUPPORTED_HEADER = 10177;
    /** Atomic batch id invalid. */
    public static final int ATOMIC_PUBLISH_INVALID_ID = 10179;
    /** Atomic batch larger than the server allows. */
    public static final int ATOMIC_PUBLISH_TOO_LARGE = 10199;
    /** Atomic batch commit value not recognised. */
    public static final int ATOMIC_PUBLISH_INVALID_COMMIT = 10200;
    /** Atomic batch contains a duplicate Msg-Id. */
    public static final int ATOMIC_PUBLISH_DUPLICATE_MSG_ID = 10201;
    /** Too many atomic batches in flight on the stream. */
    public static final int ATOMIC_PUBLISH_TOO_MANY_INFLIGHT = 10210;

    /** True for both codes that mean "wrong last sequence". */
    public static boolean isWrongLastSequence(int apiErrorCode) {
        return apiErrorCode == WRONG_LAST_SEQUENCE || apiErrorCode == WRONG_LAST_SEQUENCE_CONSTANT;
    }
}
