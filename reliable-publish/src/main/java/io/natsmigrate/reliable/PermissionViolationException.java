package io.natsmigrate.reliable;

/** The connection's user may not publish to the subject. Permanent. */
public class PermissionViolationException extends ReliablePublishException {

    public PermissionViolationException(String subject, String msgId, int attempts, String serverError) {
        super("Not permitted to publish to \"" + subject + "\" (server: " + serverError + "). Grant the user publish"
                + " permission on the subject or use another account", subject, msgId, attempts, null);
    }
}
