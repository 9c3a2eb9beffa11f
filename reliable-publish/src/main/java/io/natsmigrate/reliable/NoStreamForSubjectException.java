package io.natsmigrate.reliable;

/** No stream listens to the subject: the message cannot be stored anywhere. Permanent; not retried. */
public class NoStreamForSubjectException extends ReliablePublishException {

    public NoStreamForSubjectException(String subject, String msgId) {
        super("No JetStream stream listens to subject \"" + subject + "\". Create a stream whose subjects cover it"
                + " (or fix the subject) before publishing", subject, msgId, 0, null);
    }
}
