package io.natsmigrate.core;

/** A rollback would have to undo a step that cannot be undone. Nothing was changed. */
public class NotReversibleException extends MigrationException {

    private final String step;

    public NotReversibleException(String plan, String step, String target) {
        super("Plan " + plan + " cannot roll back to " + target + ": step \"" + step + "\" is irreversible and already"
                + " applied. Roll back only to a phase after it, or restore by hand");
        this.step = step;
    }

    public String step() {
        return step;
    }
}
