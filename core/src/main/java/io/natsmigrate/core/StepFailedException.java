package io.natsmigrate.core;

/** A step's apply, check or rollback failed. The recorded state keeps everything completed before it. */
public class StepFailedException extends MigrationException {

    private final String step;

    public StepFailedException(String step, String action, Throwable cause) {
        super("Step \"" + step + "\" failed during " + action + ": " + cause.getMessage()
                + ". Completed steps stay recorded; fix the cause and apply again", cause);
        this.step = step;
    }

    public String step() {
        return step;
    }
}
