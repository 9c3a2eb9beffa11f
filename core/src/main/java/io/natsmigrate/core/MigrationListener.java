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
}
