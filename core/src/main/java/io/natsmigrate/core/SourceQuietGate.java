package io.natsmigrate.core;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerInfo;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Passes once the source streams took no message for the quiet period and no consumer of theirs has a message
 * delivered but not acknowledged: publishers are paused and consumers idle, so a snapshot now is complete and its
 * consumer positions are final.
 */
final class SourceQuietGate implements Gate {

    private final Connection source;
    private final List<String> streams;
    private final Duration quietPeriod;
    private final Duration timeout;
    private final Map<String, Long> lastSeen = new HashMap<>();
    private long quietSince = System.nanoTime();

    SourceQuietGate(Connection source, List<String> streams, Duration quietPeriod, Duration timeout) {
        this.source = source;
        this.streams = List.copyOf(streams);
        this.quietPeriod = quietPeriod;
        this.timeout = timeout.plus(quietPeriod);
    }

    @Override
    public String name() {
        return "old system quiet for " + quietPeriod + " (publishers paused, consumers idle)";
    }

    @Override
    public synchronized GateResult evaluate(Connection nc) throws Exception {
        JetStreamManagement jsm = source.jetStreamManagement();
        boolean changed = false;
        for (String s : streams) {
            long last = jsm.getStreamInfo(s).getStreamState().getLastSequence();
            Long before = lastSeen.put(s, last);
            changed |= before == null || before != last;
            for (ConsumerInfo ci : jsm.getConsumers(s)) {
                if (ci.getNumAckPending() > 0) {
                    quietSince = System.nanoTime();
                    return GateResult.fail(s + " > " + ci.getName() + " has " + ci.getNumAckPending()
                            + " messages delivered and not acknowledged: stop or drain that consumer's application");
                }
            }
        }
        if (changed) {
            quietSince = System.nanoTime();
            return GateResult.fail("the old system's streams are still taking messages: pause the publishers");
        }
        Duration quiet = Duration.ofNanos(System.nanoTime() - quietSince);
        if (quiet.compareTo(quietPeriod) < 0) {
            return GateResult.fail("quiet for " + quiet.toMillis() + " ms of " + quietPeriod.toMillis());
        }
        return GateResult.pass("no message taken for " + quiet.toMillis() + " ms and no consumer holds one");
    }

    @Override
    public Duration timeout() {
        return timeout;
    }
}
