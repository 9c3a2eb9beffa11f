package io.natsmigrate.primitives;

/** A subject or subject filter that NATS would reject or misroute. The message names the subject and the fix. */
public class InvalidSubjectException extends IllegalArgumentException {

    private final String subject;

    public InvalidSubjectException(String subject, String message) {
        super(message);
        this.subject = subject;
    }

    /** The offending subject (may be null). */
    public String subject() {
        return subject;
    }
}
