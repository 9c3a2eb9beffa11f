package io.natsmigrate.consumer;

/**
 * The outcome of a redrive.
 *
 * @param redriven published again and removed from the DLQ
 * @param skippedMissingOriginal left in the DLQ because they carry no original payload
 * @param failed left in the DLQ because publishing failed
 */
public record RedriveResult(long redriven, long skippedMissingOriginal, long failed) {
}
