package io.natsmigrate.reliable;

/** What to do when the retry deadline exceeds the target stream's {@code duplicate_window}. */
public enum DedupWindowCheck {
    /** Refuse to publish with {@link DedupWindowTooShortException} (the default). */
    REFUSE,
    /** Log a warning once per stream and publish anyway. */
    WARN,
    /** Do not check. */
    OFF
}
