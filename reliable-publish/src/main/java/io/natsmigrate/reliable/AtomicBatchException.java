package io.natsmigrate.reliable;

/** An atomic batch was not stored. Nothing of it is in the stream unless {@link Reason#OUTCOME_UNKNOWN}. */
public class AtomicBatchException extends ReliablePublishException {

    /** Why the batch failed. */
    public enum Reason {
        /** The stream does not allow atomic publish (10174): set {@code allow_atomic} on it. */
        NOT_ENABLED,
        /** More messages than the server allows in one batch (10199, default 1,000). */
        TOO_LARGE,
        /** The server saw a gap, an abandoned batch (idle > 10 s) or a rejected message (10176). */
        INCOMPLETE,
        /** Too many batches in flight on the stream (10210, 50 per stream by default): retry later. */
        TOO_MANY_IN_FLIGHT,
        /** Two messages of the batch carry the same Msg-Id (10201). */
        DUPLICATE_MSG_ID,
        /** A header batches do not support (10177). */
        UNSUPPORTED_HEADER,
        /** The commit ack did not match the batch (stream, batch id or count). */
        INVALID_ACK,
        /** No answer to the commit: it may or may not have been stored. Check the stream before re-sending. */
        OUTCOME_UNKNOWN,
        /** The batch was already committed or discarded. */
        CLOSED,
        /** No stream listens to the batch's subject (a 503 no-responders answer, and the server lists no stream). */
        NO_STREAM,
        /** The stream did not answer (503 no responders during a leader election or restart): send it again. */
        UNAVAILABLE,
        /** Another API error; see the message. */
        OTHER
    }

    private final Reason reason;
    private final String batchId;
    private final int apiErrorCode;

    public AtomicBatchException(Reason reason, String batchId, int apiErrorCode, String detail, String subject,
                                int messages) {
        super("Atomic batch " + batchId + " failed (" + reason + (apiErrorCode > 0 ? ", API error " + apiErrorCode : "")
                + ") after " + messages + " message(s): " + detail, subject, null, messages, null);
        this.reason = reason;
        this.batchId = batchId;
        this.apiErrorCode = apiErrorCode;
    }

    public Reason reason() {
        return reason;
    }

    public String batchId() {
        return batchId;
    }

    /** The server's API error code, 0 when the failure was detected by the client. */
    public int apiErrorCode() {
        return apiErrorCode;
    }
}
