package io.natsmigrate.reliable;

/** A counter operation on a stream (or subject) that does not keep counters ({@code allow_msg_counter}). */
public class NotACounterStreamException extends ReliablePublishException {

    public NotACounterStreamException(String subject, String stream, String detail) {
        super("Stream " + stream + " is no counter stream" + (subject == null ? "" : " for subject \"" + subject
                + "\"") + ": " + detail, subject, null, 0, null);
    }
}
