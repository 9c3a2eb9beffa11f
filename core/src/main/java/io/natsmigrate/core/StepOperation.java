package io.natsmigrate.core;

/** What a runner was doing to a step when it wrote an in-progress marker ({@link PlanState.InProgress}). */
public enum StepOperation {
    APPLY,
    ROLLBACK
}
