package io.natsmigrate.core;

/** Events of a {@link MigrationRunner}; every method has an empty default. Exceptions thrown here stop the run. */
public interface MigrationListener {

    /** A step is about to be applied (after its in-progress marker was recorded). */
    default void beforeStep(String phase, Step step) {
    }

    /** A step was applied and recorded. */
    default void afterStep(String phase, Step step, StepResult result) {
    }

    /** A step was rolled back and recorded. */
    default void afterRollback(String phase, Step step) {
    }

    /** The recorded phase changed (null: before the first phase). */
    default void phaseReached(String phase) {
    }

    /** A step failed; the run stops after this. */
    default void onFailure(String phase, Step step, Exception failure) {
    }

    /**
     * A gate did not pass yet and the runner waits: called after each failed evaluation, at most once a second,
     * with what the gate saw. For progress displays and watchdogs.
     */
    default void gateWaiting(GateProgress progress) {
    }

    /** A gate passed ({@code progress.waited()} is the whole wait, zero when it passed at once). */
    default void gatePassed(GateProgress progress) {
    }

    /** This runner took the plan's lock (its lease) for a run. */
    default void lockAcquired(String plan, String instanceId) {
    }

    /** This runner gave the plan's lock back after a run (also after a failure). */
    default void lockReleased(String plan, String instanceId) {
    }
}
