package io.natsmigrate.consumer;

/** Events of a {@link DeadLetterQueue}; empty defaults. */
public interface DeadLetterListener {

    /** A dead letter was stored (also when its original was missing). */
    default void written(DeadLetter deadLetter) {
    }

    /** The original of a failed message was already gone; a metadata-only dead letter was stored. */
    default void originalMissing(String stream, long sequence) {
    }

    /** A dead letter was published again to its original subject and removed from the DLQ. */
    default void redriven(DeadLetter deadLetter) {
    }

    /** An advisory could not be processed now; it stays in the capture stream and is retried. */
    default void processingFailed(String advisorySubject, Exception cause) {
    }
}
