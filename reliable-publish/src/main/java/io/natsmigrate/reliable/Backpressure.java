package io.natsmigrate.reliable;

/** What {@code publishAsync} does when the in-flight window is full. */
public enum Backpressure {
    /** Wait for a free slot (the default). */
    BLOCK,
    /** Throw {@link InFlightLimitException} at once; nothing is sent. */
    FAIL_FAST
}
