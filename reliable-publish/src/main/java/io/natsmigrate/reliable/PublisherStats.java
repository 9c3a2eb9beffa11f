package io.natsmigrate.reliable;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts of a {@link ReliablePublisher} at one moment.
 *
 * <p>Every message a well-formed call handed over is in exactly one place: {@code published = acked + failed +
 * inFlight} once no call is between steps.
 *
 * @param published messages handed to {@code publish}/{@code publishAsync} (argument errors excepted)
 * @param acked messages the stream confirmed holding, duplicates included
 * @param duplicates of {@code acked}, those the stream already had (stored once; a success)
 * @param retries attempts repeated after a transient failure
 * @param failed messages whose future failed, including those refused before sending
 * @param inFlight messages awaiting their ack now
 * @param waiting callers waiting for room in the in-flight window now
 */
public record PublisherStats(long published, long acked, long duplicates, long retries, long failed, long inFlight,
                             long waiting) {

    /** The live counters behind {@link PublisherStats}. */
    static final class Counters {
        final AtomicLong published = new AtomicLong();
        final AtomicLong acked = new AtomicLong();
        final AtomicLong duplicates = new AtomicLong();
        final AtomicLong retries = new AtomicLong();
        final AtomicLong failed = new AtomicLong();

        PublisherStats snapshot(long inFlight, long waiting) {
            // Read the outcomes before published, so a message finishing meanwhile is never counted twice.
            long f = failed.get();
            long d = duplicates.get();
            long a = acked.get();
            return new PublisherStats(published.get(), a, d, retries.get(), f, inFlight, waiting);
        }
    }
}
