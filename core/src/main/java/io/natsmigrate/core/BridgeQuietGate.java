package io.natsmigrate.core;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.api.StreamInfo;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Passes once no leaf clone has captured anything for the quiet period and every target stream has sourced all
 * of its clone: nothing is left on the old system's publishing side for the bridge to carry.
 */
final class BridgeQuietGate implements Gate {

    private final Connection source;
    private final Connection target;
    private final JetStreamOptions leaf;
    private final List<String> streams;
    private final Duration quietPeriod;
    private final Duration timeout;
    private final Map<String, Long> lastSeen = new HashMap<>();
    private long quietSince = System.nanoTime();

    BridgeQuietGate(Connection source, Connection target, JetStreamOptions leaf, List<String> streams,
                    Duration quietPeriod, Duration timeout) {
        this.source = source;
        this.target = target;
        this.leaf = leaf;
        this.streams = streams;
        this.quietPeriod = quietPeriod;
        this.timeout = timeout.plus(quietPeriod);
    }

    @Override
    public String name() {
        return "bridge quiet for " + quietPeriod + " (publishers moved, sources lag 0)";
    }

    @Override
    public synchronized GateResult evaluate(Connection nc) throws Exception {
        JetStreamManagement leafJsm = source.jetStreamManagement(leaf);
        JetStreamManagement targetJsm = target.jetStreamManagement();
        boolean changed = false;
        for (String s : streams) {
            long last = leafJsm.getStreamInfo(s).getStreamState().getLastSequence();
            Long before = lastSeen.put(s, last);
            changed |= before == null || before != last;
            StreamInfo t = targetJsm.getStreamInfo(s);
            long lag = t.getSourceInfos().isEmpty() ? 0 : t.getSourceInfos().get(0).getLag();
            if (lag > 0) {
                quietSince = System.nanoTime();
                return GateResult.fail(s + ": target still " + lag + " messages behind the leaf clone");
            }
        }
        if (changed) {
            quietSince = System.nanoTime();
            return GateResult.fail("the leaf clones are still capturing messages published on the old system:"
                    + " move the remaining publishers to the target");
        }
        Duration quiet = Duration.ofNanos(System.nanoTime() - quietSince);
        if (quiet.compareTo(quietPeriod) < 0) {
            return GateResult.fail("quiet for " + quiet.toMillis() + " ms of " + quietPeriod.toMillis());
        }
        return GateResult.pass("nothing captured for " + quiet.toMillis() + " ms and every source at lag 0");
    }

    @Override
    public Duration timeout() {
        return timeout;
    }
}
