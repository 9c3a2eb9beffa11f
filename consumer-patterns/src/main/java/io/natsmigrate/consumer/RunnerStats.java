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
 * @param handled handler calls that returned or threw
 * @param redelivered deliveries the server had delivered before (a nak, an ack wait that ran out, a crash)
 * @param handlerNanos time spent in the handler, all calls together
 * @param inProgress messages being handled right now
 */
public record RunnerStats(long acked, long naked, long termed, long skippedAsSeen, long handlerFailures,
                          long heartbeats, long handled, long redelivered, long handlerNanos, long inProgress) {
}
