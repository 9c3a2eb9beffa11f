package io.natsmigrate.core;

/** What a {@link Transition} of a plan's history records. */
public enum TransitionKind {
    /** A step was applied. */
    APPLY,
    /** A step was rolled back. */
    ROLLBACK,
    /** The recorded phase changed. */
    PHASE
}
