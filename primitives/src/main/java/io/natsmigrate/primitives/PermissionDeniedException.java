package io.natsmigrate.primitives;

/**
 * The connection's user lacks a permission a natsmigrate call needs. Not retried: waiting does not grant it. The
 * message names the subject and the permission to add; the README lists what each module needs.
 */
public class PermissionDeniedException extends IllegalStateException {

    private final PermissionViolation violation;

    public PermissionDeniedException(PermissionViolation violation, Throwable cause) {
        super("The connection's user may not " + violation.kind().verb() + " \"" + violation.subject() + "\" (the"
                + " server said: " + violation.serverError() + "). Fix: allow " + violation.kind().name()
                .toLowerCase(java.util.Locale.ROOT) + " on " + violation.subject() + " for this user (the README's"
                + " \"Permissions\" section lists what each natsmigrate module needs)", cause);
        this.violation = violation;
    }

    /** What was denied. */
    public PermissionViolation violation() {
        return violation;
    }
}
