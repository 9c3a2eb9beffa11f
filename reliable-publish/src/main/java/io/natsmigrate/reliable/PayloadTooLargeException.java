package io.natsmigrate.reliable;

/** The message is larger than the server's {@code max_payload} or the stream's {@code max_msg_size}. Permanent. */
public class PayloadTooLargeException extends ReliablePublishException {

    private final long size;
    private final long limit;

    public PayloadTooLargeException(String subject, String msgId, long size, long limit, String which, int attempts) {
        super("Message on \"" + subject + "\" is " + size + " bytes, over the " + which + " of " + limit
                + " bytes. Send less (split it, or store the payload elsewhere and publish a reference) or raise "
                + which, subject, msgId, attempts, null);
        this.size = size;
        this.limit = limit;
    }

    /** The message size in bytes (payload plus headers where known). */
    public long size() {
        return size;
    }

    /** The limit it exceeded, in bytes (-1 when the server did not say). */
    public long limit() {
        return limit;
    }
}
