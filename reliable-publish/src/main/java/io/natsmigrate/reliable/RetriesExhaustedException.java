package io.natsmigrate.reliable;

/**
 * Every attempt the {@link RetryPolicy} allowed failed with a transient error (timeouts, no responders,
 * connection loss, ...). The message may or may not be stored: publish it again with the same Msg-Id inside
 * the stream's duplicate window and the stream will keep it once.
 */
public class RetriesExhaustedException extends ReliablePublishException {

    private final FailureReason lastReason;

    public RetriesExhaustedException(String subject, String msgId, int attempts, FailureReason lastReason,
                                     String why, Throwable cause) {
        super("Gave up on the message to \"" + subject + "\" (Msg-Id " + msgId + ") after " + attempts
                + " attempts: " + why + "; last failure " + lastReason + ". Re-publish with the same Msg-Id within"
                + " the stream's duplicate window, or widen the retry policy", subject, msgId, attempts, cause);
        this.lastReason = lastReason;
    }

    /** The transient failure of the last attempt. */
    public FailureReason lastReason() {
        return lastReason;
    }
}
