package io.natsmigrate.reliable;

import io.natsmigrate.primitives.PermissionViolation;

/**
 * The connection's user may not publish to the subject, or may not subscribe to the connection's inbox where the
 * acks arrive. Permanent: the message is not retried.
 */
public class PermissionViolationException extends ReliablePublishException {

    private final transient PermissionViolation violation;

    public PermissionViolationException(String subject, String msgId, int attempts, String serverError) {
        this(subject, msgId, attempts, PermissionViolation.parse(serverError).orElse(
                new PermissionViolation(PermissionViolation.Kind.PUBLISH, subject, serverError)));
    }

    public PermissionViolationException(String subject, String msgId, int attempts, PermissionViolation violation) {
        super(violation.kind() == PermissionViolation.Kind.PUBLISH
                ? "Not permitted to publish to \"" + subject + "\" (server: " + violation.serverError() + "). Grant the"
                + " user publish permission on the subject or use another account"
                : "Not permitted to subscribe to \"" + violation.subject() + "\", where the acks of the message to \""
                + subject + "\" arrive (server: " + violation.serverError() + "). Grant the user subscribe permission on"
                + " _INBOX.> (or on the connection's inbox prefix)", subject, msgId, attempts, null);
        this.violation = violation;
    }

    /** What the server denied. */
    public PermissionViolation violation() {
        return violation;
    }
}
