package io.natsmigrate.core;

/** How a {@link Transition} ended. */
public enum TransitionOutcome {
    SUCCEEDED,
    FAILED
}
