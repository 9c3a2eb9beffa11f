package io.natsmigrate.reliable;

/**
 * The server refused the message because an {@link Expectation} did not hold: another writer got there first.
 * Permanent for this message; an optimistic update reads again and retries (see {@link OptimisticUpdater}).
 */
public class ExpectationFailedException extends ReliablePublishException {

    /** Which expectation failed. */
    public enum Kind {
        /** Expected last stream or subject sequence (API error codes 10071 and 10164). */
        WRONG_LAST_SEQUENCE,
        /** Expected last Msg-Id (10070). */
        WRONG_LAST_MSG_ID,
        /** Expected stream (10060). */
        WRONG_STREAM
    }

    private final Kind kind;
    private final int apiErrorCode;
    private final String serverDescription;

    public ExpectationFailedException(Kind kind, int apiErrorCode, String serverDescription, String subject,
                                      String msgId, int attempts) {
        super("Expectation failed on \"" + subject + "\" (" + kind + ", API error " + apiErrorCode + "): "
                + serverDescription + ". Read the current state and publish again with the new expectation",
                subject, msgId, attempts, null);
        this.kind = kind;
        this.apiErrorCode = apiErrorCode;
        this.serverDescription = serverDescription;
    }

    public Kind kind() {
        return kind;
    }

    /** The server's API error code. */
    public int apiErrorCode() {
        return apiErrorCode;
    }

    /** What the server said, e.g. {@code "wrong last sequence: 41"}. */
    public String serverDescription() {
        return serverDescription;
    }
}
