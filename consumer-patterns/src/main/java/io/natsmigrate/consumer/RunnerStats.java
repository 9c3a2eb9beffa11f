package io.natsmigrate.consumer;

/**
 * Counts of a {@link ConsumerRunner}.
 *
 * @param acked messages acknowledged
 * @param naked messages negatively acknowledged (redelivered later)
 * @param termed messages terminated
 * @param skippedAsSeen messages acknowledged without running the handler (Msg-Id already processed)
 * @param handlerFailures handler exceptions (each counted as a nak)
 * @param heartbeats in-progress heartbeats sent for long handlers
 */
public record RunnerStats(long acked, long naked, long termed, long skippedAsSeen, long handlerFailures,
                          long heartbeats) {
}
