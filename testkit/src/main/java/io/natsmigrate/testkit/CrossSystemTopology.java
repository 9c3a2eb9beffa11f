package io.natsmigrate.testkit;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;

import java.io.IOException;
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
 * <p>Either system can be a JetStream cluster ({@link Builder#sourceNodes(int)}, {@link Builder#targetNodes(int)}):
 * the leaf's remote then lists every node's leaf port, and {@link #connectSource()} / {@link #connectTarget()}
 * connect to the whole system.
 *
 * <pre>{@code
 * try (CrossSystemTopology topo = CrossSystemTopology.builder().isolate("QUEUE.>").sourceNodes(3).start()) {
 *     Connection source = topo.connectSource();
 *     Connection target = topo.connectTarget();
 * }
 * }</pre>
 */
public final class CrossSystemTopology implements NatsTopology {

    private final List<NatsServer> sourceNodes;
    private final List<NatsServer> targetNodes;
    private final NatsServer source;
    private final NatsServer target;
    private final NatsServer leaf;
    private final String leafDomain;
    private final Duration readyTimeout;

    private CrossSystemTopology(List<NatsServer> sourceNodes, List<NatsServer> targetNodes, NatsServer leaf,
                                String leafDomain, Duration readyTimeout) {
        this.sourceNodes = List.copyOf(sourceNodes);
        this.targetNodes = List.copyOf(targetNodes);
        this.source = sourceNodes.get(0);
        this.target = targetNodes.get(0);
        this.leaf = leaf;
        this.leafDomain = leafDomain;
        this.readyTimeout = readyTimeout;
    }

    /** A builder for source and target without domains and a leaf in domain {@code leaf}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Every node of the source, then of the target, then the leaf. */
    @Override
    public List<NatsServer> servers() {
        List<NatsServer> all = new ArrayList<>(sourceNodes());
        all.addAll(targetNodes());
        all.add(leaf());
        return List.copyOf(all);
    }

    /** Connects to the new system (the target), as {@link #connectTarget()}. */
    @Override
    public Connection connect() throws IOException, InterruptedException {
        return connectTarget();
    }

    /** The self-managed system being migrated away from (its first node, when it is a cluster). */
    public NatsServer source() {
        return source;
    }

    /** The system being migrated to (its first node, when it is a cluster). */
    public NatsServer target() {
        return target;
    }

    /** Every node of the source system (one, unless it is a cluster). */
    public List<NatsServer> sourceNodes() {
        return sourceNodes;
    }

    /** Every node of the target system (one, unless it is a cluster). */
    public List<NatsServer> targetNodes() {
        return targetNodes;
    }

    /** A connection to the source system that knows every node and reconnects forever. */
    public Connection connectSource() throws IOException, InterruptedException {
        return connect(sourceNodes);
    }

    /** A connection to the target system that knows every node and reconnects forever. */
    public Connection connectTarget() throws IOException, InterruptedException {
        return connect(targetNodes);
    }

    private static Connection connect(List<NatsServer> nodes) throws IOException, InterruptedException {
        return Nats.connect(Options.builder().servers(nodes.stream().map(NatsServer::url).toArray(String[]::new))
                .maxReconnects(-1).reconnectWait(Duration.ofMillis(50)).connectionTimeout(Duration.ofSeconds(5))
                .build());
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
        List<NatsServer> all = new ArrayList<>();
        all.add(leaf);
        all.addAll(targetNodes);
        all.addAll(sourceNodes);
        NatsCluster.closeAll(all);
    }

    @Override
    public String toString() {
        return "CrossSystemTopology[source=" + sourceNodes + ", target=" + targetNodes + ", leaf=" + leaf + ", leafDomain="
                + leafDomain + "]";
    }

    /** Configures a {@link CrossSystemTopology}. */
    public static final class Builder {
        private String leafDomain = "leaf";
        private final List<String> isolated = new ArrayList<>();
        private NatsServerBinary binary;
        private Duration readyTimeout = Duration.ofSeconds(20);
        private int sourceNodes = 1;
        private int targetNodes = 1;

        private Builder() {
        }

        /** Nodes of the source system (default 1; 3 for a JetStream cluster that survives a node loss). */
        public Builder sourceNodes(int nodes) {
            this.sourceNodes = nodeCount(nodes);
            return this;
        }

        /** Nodes of the target system (default 1; 3 for a JetStream cluster that survives a node loss). */
        public Builder targetNodes(int nodes) {
            this.targetNodes = nodeCount(nodes);
            return this;
        }

        private static int nodeCount(int nodes) {
            if (nodes < 1 || nodes == 2) {
                throw new IllegalArgumentException("A system has 1 node or a cluster of 3 or more, was " + nodes);
            }
            return nodes;
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
                List<NatsServer> source = system(bin, "source-" + suffix, sourceNodes);
                started.addAll(source);
                List<NatsServer> target = system(bin, "target-" + suffix, targetNodes);
                started.addAll(target);
                NatsServer leaf = NatsServer.builder().binary(bin).serverName("leaf-" + suffix)
                        .domain(leafDomain)
                        .leafRemoteDenying(leafPorts(source), List.of())
                        .leafRemoteDenying(leafPorts(target), isolated)
                        .start();
                started.add(leaf);
                CrossSystemTopology topology = new CrossSystemTopology(source, target, leaf, leafDomain,
                        readyTimeout);
                topology.awaitLeafConnected();
                return topology;
            } catch (RuntimeException e) {
                try {
                    NatsCluster.closeAll(started);
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }

        private static List<NatsServer> system(NatsServerBinary bin, String name, int nodes) {
            if (nodes == 1) {
                return List.of(NatsServer.builder().binary(bin).serverName(name).leafNodeListener(true).start());
            }
            return NatsCluster.builder().binary(bin).name(name).size(nodes).leafNodeListener(true).start().nodes();
        }

        private static List<Integer> leafPorts(List<NatsServer> nodes) {
            return nodes.stream().map(NatsServer::leafNodePort).toList();
        }
    }
}
