package io.natsmigrate.core;

/** A step's apply, check or rollback failed. The recorded state keeps everything completed before it. */
public class StepFailedException extends MigrationException {

    private final String step;
    private final String plan;

    public StepFailedException(String step, String action, Throwable cause) {
        this(null, step, action, cause);
    }

    /** A failure of {@code step} of {@code plan}, named in the message with the cause. */
    public StepFailedException(String plan, String step, String action, Throwable cause) {
        super((plan == null ? "" : "Plan " + plan + ": ") + "Step \"" + step + "\" failed during " + action + ": "
                + cause.getMessage() + (TransientErrors.isTransient(cause) ? " (a transient error that outlasted the"
                + " runner's retries)" : "") + ". Completed steps stay recorded; fix the cause and apply again", cause);
        this.step = step;
        this.plan = plan;
    }

    /** The plan, when known. */
    public String plan() {
        return plan;
    }

    public String step() {
        return step;
    }
}
