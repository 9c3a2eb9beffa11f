package io.natsmigrate.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The cross-system migration walkthrough's three systems: a self-managed <em>source</em> system (JetStream, no
 * domain, which must not change), a <em>target</em> system standing in for the cloud system, and a
 * <em>leaf</em> node in its own JetStream domain with a remote to each. The target reaches the leaf's streams
 * through {@code $JS.<domain>.API}; the source's traffic reaches the leaf over the leaf connection.
 *
 * <p>The subjects given to {@link Builder#isolate} are denied both ways on the leaf's remote to the target.
 * Without that, nats-server forwards the source's messages on subjects the leaf is interested in (those of the
 * bridge's clone stream) to the target, and the target's back to the leaf (checked on 2.15.1), so once the target
 * stream takes over the subjects every message would be stored twice: once directly and once through the bridge.
 * Interest that only the target has is not passed on through the leaf.
 *
 * <pre>{@code
 * try (CrossSystemTopology topo = CrossSystemTopology.builder().isolate("QUEUE.>").start()) {
 *     Connection source = topo.source().connect();
 *     Connection target = topo.target().connect();
 * }
 * }</pre>
 */
public final class CrossSystemTopology implements AutoCloseable {

    private final NatsServer source;
    private final NatsServer target;
    private final NatsServer leaf;
    private final String leafDomain;
    private final Duration readyTimeout;

    private CrossSystemTopology(NatsServer source, NatsServer target, NatsServer leaf, String leafDomain,
                                Duration readyTimeout) {
        this.source = source;
        this.target = target;
        this.leaf = leaf;
        this.leafDomain = leafDomain;
        this.readyTimeout = readyTimeout;
    }

    /** A builder for source and target without domains and a leaf in domain {@code leaf}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The self-managed system being migrated away from. */
    public NatsServer source() {
        return source;
    }

    /** The system being migrated to. */
    public NatsServer target() {
        return target;
    }

    /** The bridge: a leaf node of both systems with its own JetStream domain. */
    public NatsServer leaf() {
        return leaf;
    }

    /** The leaf's JetStream domain. */
    public String leafDomain() {
        return leafDomain;
    }

    /**
     * Waits until both systems report the leaf connection and the leaf domain's JetStream API answers from each.
     *
     * @throws IllegalStateException with the three servers' log tails when that does not happen in time
     */
    public void awaitLeafConnected() {
        Poll.until(readyTimeout, state -> {
            if (LeafDomain.answersOn(source, leafDomain) && LeafDomain.answersOn(target, leafDomain)) {
                return true;
            }
            state.append("source /leafz: ").append(source.monitor("leafz"))
                    .append(" target /leafz: ").append(target.monitor("leafz"));
            return false;
        }, last -> new IllegalStateException("Leaf " + leaf.name() + " with JetStream domain " + leafDomain
                + " not reachable from both systems within " + readyTimeout + ". Last state: " + last
                + "\n--- leaf log ---\n" + leaf.log().tail(20)));
    }

    /** Closes the leaf, then the target, then the source. */
    @Override
    public void close() {
        try {
            leaf.close();
        } finally {
            try {
                target.close();
            } finally {
                source.close();
            }
        }
    }

    @Override
    public String toString() {
        return "CrossSystemTopology[source=" + source + ", target=" + target + ", leaf=" + leaf + ", leafDomain="
                + leafDomain + "]";
    }

    /** Configures a {@link CrossSystemTopology}. */
    public static final class Builder {
        private String leafDomain = "leaf";
        private final List<String> isolated = new ArrayList<>();
        private NatsServerBinary binary;
        private Duration readyTimeout = Duration.ofSeconds(20);

        private Builder() {
        }

        /** The leaf's JetStream domain (default {@code leaf}). */
        public Builder leafDomain(String domain) {
            this.leafDomain = Objects.requireNonNull(domain, "domain");
            return this;
        }

        /** Subjects the leaf does not pass to or from the target (the migrated streams' subjects). */
        public Builder isolate(String... subjects) {
            isolated.addAll(List.of(subjects));
            return this;
        }

        /** The binary for all three servers. */
        public Builder binary(NatsServerBinary binary) {
            this.binary = Objects.requireNonNull(binary, "binary");
            return this;
        }

        /** How long to wait for the leaf connections (default 20 s). */
        public Builder readyTimeout(Duration timeout) {
            this.readyTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Starts source and target, then the leaf, and waits until the leaf domain answers from both. */
        public CrossSystemTopology start() {
            NatsServerBinary bin = binary != null ? binary : NatsServerBinary.find();
            String suffix = Long.toHexString(System.nanoTime() & 0xffffff);
            List<NatsServer> started = new ArrayList<>();
            try {
                NatsServer source = NatsServer.builder().binary(bin).serverName("source-" + suffix)
                        .leafNodeListener(true).start();
                started.add(source);
                NatsServer target = NatsServer.builder().binary(bin).serverName("target-" + suffix)
                        .leafNodeListener(true).start();
                started.add(target);
                NatsServer.Builder lb = NatsServer.builder().binary(bin).serverName("leaf-" + suffix)
                        .domain(leafDomain).leafRemote(source.leafNodePort());
                if (isolated.isEmpty()) {
                    lb.leafRemote(target.leafNodePort());
                } else {
                    lb.leafRemoteDenying(target.leafNodePort(), isolated);
                }
                NatsServer leaf = lb.start();
                started.add(leaf);
                CrossSystemTopology topology = new CrossSystemTopology(source, target, leaf, leafDomain, readyTimeout);
                topology.awaitLeafConnected();
                return topology;
            } catch (RuntimeException e) {
                for (int i = started.size() - 1; i >= 0; i--) {
                    started.get(i).close();
                }
                throw e;
            }
        }
    }
}
