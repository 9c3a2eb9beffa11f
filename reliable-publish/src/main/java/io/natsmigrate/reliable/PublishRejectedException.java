package io.natsmigrate.reliable;

/** The server rejected the message with a JetStream API error that retrying cannot fix. */
public class PublishRejectedException extends ReliablePublishException {

    private final int errorCode;
    private final int apiErrorCode;

    public PublishRejectedException(String subject, String msgId, int attempts, int errorCode, int apiErrorCode,
                                    String description) {
        super("Server rejected the message on \"" + subject + "\": " + description + " (code " + errorCode
                + ", API error " + apiErrorCode + ")", subject, msgId, attempts, null);
        this.errorCode = errorCode;
        this.apiErrorCode = apiErrorCode;
    }

    /** The HTTP-like error code. */
    public int errorCode() {
        return errorCode;
    }

    /** The JetStream API error code. */
    public int apiErrorCode() {
        return apiErrorCode;
    }
}
