package io.natsmigrate.reliable;

/**
 * Base of every failure the reliable publisher reports. Carries the message's subject, its Msg-Id and how many
 * attempts were made, so the application can find, log or replay exactly that message.
 */
public class ReliablePublishException extends RuntimeException {

    private final String subject;
    private final String msgId;
    private final int attempts;

    public ReliablePublishException(String message, String subject, String msgId, int attempts, Throwable cause) {
        super(message, cause);
        this.subject = subject;
        this.msgId = msgId;
        this.attempts = attempts;
    }

    /** The message's subject (null for failures not tied to one message). */
    public String subject() {
        return subject;
    }

    /** The message's Nats-Msg-Id (null when none was assigned yet). */
    public String msgId() {
        return msgId;
    }

    /** Attempts made before this failure (0 when it failed before the first). */
    public int attempts() {
        return attempts;
    }
}
