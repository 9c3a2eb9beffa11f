package io.natsmigrate.reliable;

/** The publisher (or its connection) is closed; the message was not, or not confirmably, published. */
public class PublisherClosedException extends ReliablePublishException {

    public PublisherClosedException(String message, String subject, String msgId, int attempts) {
        super(message, subject, msgId, attempts, null);
    }
}
