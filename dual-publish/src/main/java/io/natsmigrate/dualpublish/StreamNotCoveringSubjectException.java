package io.natsmigrate.dualpublish;

/** No JetStream stream stores the JetStream subject a message maps to, so JetStream mode cannot work. */
public class StreamNotCoveringSubjectException extends DualPublishException {

    private final String subject;

    public StreamNotCoveringSubjectException(String subject, String expectedStream, String detail) {
        super("No stream" + (expectedStream == null ? "" : " " + expectedStream + " (expected)") + " stores subject \""
                + subject + "\"" + (detail == null ? "" : " (" + detail + ")") + ". Provision the stream first (the"
                + " plan's provision phase) or fix the subject mapping");
        this.subject = subject;
    }

    public String subject() {
        return subject;
    }
}
