package io.natsmigrate.reliable;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts of a {@link ReliablePublisher} at one moment.
 *
 * @param published messages accepted by {@code publish}/{@code publishAsync}
 * @param acked messages stored (first time)
 * @param duplicates messages the stream already had (stored once; a success)
 * @param retries attempts repeated after a transient failure
 * @param failed messages whose future failed
 * @param inFlight messages awaiting their ack now
 */
public record PublisherStats(long published, long acked, long duplicates, long retries, long failed, long inFlight) {

    /** The live counters behind {@link PublisherStats}. */
    static final class Counters {
        final AtomicLong published = new AtomicLong();
        final AtomicLong acked = new AtomicLong();
        final AtomicLong duplicates = new AtomicLong();
        final AtomicLong retries = new AtomicLong();
        final AtomicLong failed = new AtomicLong();

        PublisherStats snapshot(long inFlight) {
            return new PublisherStats(published.get(), acked.get(), duplicates.get(), retries.get(), failed.get(),
                    inFlight);
        }
    }
}
