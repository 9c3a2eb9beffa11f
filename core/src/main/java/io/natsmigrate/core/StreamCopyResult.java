package io.natsmigrate.core;

import java.time.Duration;
import java.util.Map;

/**
 * What a {@link StreamCopy} did.
 *
 * @param stream        the stream
 * @param messages      messages in the restored stream
 * @param firstSequence its first sequence (the source's, kept)
 * @param lastSequence  its last sequence (the source's, kept)
 * @param bytes         size of the snapshot moved
 * @param chunks        chunks restored
 * @param sha256        SHA-256 of the snapshot, hex, checked again before the restore
 * @param consumers     each restored consumer's ack floor (stream sequence); empty without consumers
 * @param alreadyCopied the target already held the same stream (same messages, first and last sequence), so
 *                      nothing was moved (a copy is idempotent)
 * @param elapsed       time taken
 */
public record StreamCopyResult(String stream, long messages, long firstSequence, long lastSequence, long bytes,
                               long chunks, String sha256, Map<String, Long> consumers, boolean alreadyCopied,
                               Duration elapsed) {

    public StreamCopyResult {
        consumers = Map.copyOf(consumers);
    }

    /** Messages per second over the whole copy. */
    public double messagesPerSecond() {
        double s = elapsed.toNanos() / 1e9;
        return s <= 0 ? 0 : messages / s;
    }
}
