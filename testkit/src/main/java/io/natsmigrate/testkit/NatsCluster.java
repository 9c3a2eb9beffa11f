package io.natsmigrate.testkit;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.ClusterInfo;
import io.nats.client.api.Replica;
import io.nats.client.support.JsonParser;
import io.nats.client.support.JsonValue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * A JetStream cluster of real nats-server processes (three by default), ready for R3 streams.
 *
 * <pre>{@code
 * try (NatsCluster cluster = NatsCluster.builder().size(3).start();
 *      Connection nc = cluster.connect()) {
 *     // R3 stream ...
 *     cluster.node(0).kill();      // the stream stays available on the other two
 *     cluster.node(0).restart();   // rejoins on the same ports
 * }
 * }</pre>
 *
 * <p>The first node starts with no routes; the others route to it and discover each other. On a restart each
 * X only once every node sees a
 * JetStream meta leader and the full peer set, so an R3 stream can be created at once.
 */
public final class NatsCluster implements NatsTopology {

    private final List<NatsServer> nodes;
    private final Duration readyTimeout;

    private NatsCluster(List<NatsServer> nodes, Duration readyTimeout) {
        this.nodes = Collections.unmodifiableList(nodes);
        this.readyTimeout = readyTimeout;
    }

    /** A builder for a 3-node JetStream cluster. */
    public static Builder builder() {
        return new Builder();
    }

    /** All nodes, in start order. */
    @Override
    public List<NatsServer> servers() {
        return nodes();
    }

    /** The nodes, in start order. */
    public List<NatsServer> nodes() {
        return nodes;
    }

    /** Node {@code i} (0-based). */
    public NatsServer node(int i) {
        return nodes.get(i);
    }

    /** Comma-separated URLs of all nodes, for {@code Options.Builder.server(...)} style use. */
    public String url() {
        return nodes.stream().map(NatsServer::url).collect(Collectors.joining(","));
    }

    /** Client options listing every node, reconnecting forever every 50 ms. */
    public Options.Builder optionsBuilder() {
        return Options.builder()
                .servers(nodes.stream().map(NatsServer::url).toArray(String[]::new))
                .maxReconnects(-1)
                .reconnectWait(Duration.ofMillis(50))
                .connectionTimeout(Duration.ofSeconds(5));
    }

    /** Connects to the cluster (any node; fails over to the others). */
    public Connection connect() throws IOException, InterruptedException {
        Connection nc = Nats.connect(optionsBuilder().build());
        // A server learns its peers' client URLs as routes form and tells its clients in a later INFO; code that
        // sizes replicas from them (min(3, cluster size)) must not see a smaller cluster than the one running.
        long running = nodes.stream().filter(NatsServer::isRunning).count();
        try {
            Poll.until(Duration.ofSeconds(10), state -> {
                List<String> urls = nc.getServerInfo().getConnectURLs();
                state.append("connect_urls ").append(urls);
                return urls != null && urls.size() >= running;
            }, last -> new IllegalStateException("The cluster's " + running + " running nodes were not all"
                    + " advertised to the client within 10 s: " + last));
        } catch (RuntimeException e) {
            nc.close();
            throw e;
        }
        return nc;
    }

    /**
     * The node called {@code name} (as nats-server reports it, e.g. in a stream's cluster info).
     *
     * @throws IllegalArgumentException naming the nodes there are, when none has that name
     */
    public NatsServer node(String name) {
        Objects.requireNonNull(name, "name");
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No node named " + name + " in this cluster; its nodes"
                        + " are " + nodes.stream().map(NatsServer::name).toList()));
    }

    /**
     * The current JetStream meta leader, waiting (up to the ready timeout) while the cluster elects one.
     *
     * @throws IllegalStateException when no running node reports a meta leader in time
     */
    public NatsServer metaLeader() {
        String[] leader = new String[1];
        Poll.until(readyTimeout, state -> {
            for (NatsServer n : nodes) {
                if (!n.isRunning()) {
                    continue;
                }
                JsonValue meta = JsonParser.parse(n.monitor("jsz")).map.get("meta_cluster");
                JsonValue l = meta == null || meta.map == null ? null : meta.map.get("leader");
                state.append(n.name()).append(": leader ").append(l == null ? null : l.string).append("; ");
                if (l != null && l.string != null && !l.string.isEmpty()) {
                    leader[0] = l.string;
                    return nodes.stream().anyMatch(x -> x.name().equals(l.string) && x.isRunning());
                }
            }
            return false;
        }, last -> new IllegalStateException("No JetStream meta leader within " + readyTimeout + ": " + last));
        return node(leader[0]);
    }

    /**
     * The node that leads {@code stream} (in the default account), waiting (up to the ready timeout) while its
     * replicas elect one.
     *
     * @throws IllegalStateException when the stream has no leader in time, or does not exist
     */
    public NatsServer streamLeader(String stream) {
        Objects.requireNonNull(stream, "stream");
        String[] leader = new String[1];
        Poll.until(readyTimeout, state -> {
            ClusterInfo ci = clusterInfo(stream, state);
            if (ci == null || ci.getLeader() == null || ci.getLeader().isEmpty()) {
                return false;
            }
            leader[0] = ci.getLeader();
            return node(leader[0]).isRunning();
        }, last -> new IllegalStateException("Stream " + stream + " has no leader within " + readyTimeout + ": "
                + last));
        return node(leader[0]);
    }

    /**
     * Waits until {@code stream} has a leader and every other replica is current (caught up), as after a node
     * restart; a rolling restart must wait for this before it takes down the next node.
     *
     * @throws IllegalStateException with the last cluster info seen when that does not happen in time
     */
    public void awaitStreamReady(String stream) {
        Objects.requireNonNull(stream, "stream");
        Poll.until(readyTimeout, state -> {
            ClusterInfo ci = clusterInfo(stream, state);
            if (ci == null || ci.getLeader() == null || ci.getLeader().isEmpty()) {
                return false;
            }
            List<Replica> replicas = ci.getReplicas() == null ? List.of() : ci.getReplicas();
            state.append("leader ").append(ci.getLeader()).append(", replicas ").append(replicas.stream()
                    .map(r -> r.getName() + (r.isCurrent() ? " current" : " behind") + (r.isOffline() ? " offline" : ""))
                    .toList());
            return replicas.stream().allMatch(r -> r.isCurrent() && !r.isOffline());
        }, last -> new IllegalStateException("Stream " + stream + " not ready (leader and every replica current)"
                + " within " + readyTimeout + ": " + last));
    }

    /**
     * SIGKILLs the node leading {@code stream} and returns it (stopped; {@link NatsServer#restart()} brings it
     * back on the same ports and store).
     */
    public NatsServer killStreamLeader(String stream) {
        NatsServer leader = streamLeader(stream);
        leader.kill();
        return leader;
    }

    /**
     * A rolling restart as operators do it: each node in turn is stopped gracefully (SIGTERM), started again, and
     * the cluster is given time to be whole again (meta leader, all peers current, and each of {@code streams}
     * with a leader and current replicas) before the next one goes down.
     */
    public void rollingRestart(String... streams) {
        for (NatsServer n : nodes) {
            n.restart();
            awaitJetStreamReady();
            for (String s : streams) {
                awaitStreamReady(s);
            }
        }
    }

    /** The stream's cluster info, asked of any running node; null (with the reason in {@code state}) if none answers. */
    private ClusterInfo clusterInfo(String stream, StringBuilder state) throws InterruptedException {
        Options options = optionsBuilder().maxReconnects(0).connectionTimeout(Duration.ofSeconds(2)).build();
        try (Connection nc = Nats.connect(options)) {
            return nc.jetStreamManagement().getStreamInfo(stream).getClusterInfo();
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            state.append(e);
            return null;
        }
    }

    /**
     * Waits until every running node sees the same JetStream meta leader and the leader sees every other running
     * node as a current peer, e.g. after a node restart.
     *
     * @throws IllegalStateException with the nodes' views when that does not happen within the ready timeout
     */
    public void awaitJetStreamReady() {
        Poll.until(readyTimeout, this::ready, views -> new IllegalStateException("JetStream cluster not ready within "
                + readyTimeout + " (no common meta leader, or peers not current). Node views of /jsz meta_cluster:\n"
                + views));
    }

    private boolean ready(StringBuilder views) {
        String leader = null;
        Map<String, JsonValue> leaderView = null;
        List<NatsServer> running = nodes.stream().filter(NatsServer::isRunning).toList();
        for (NatsServer n : running) {
            Map<String, JsonValue> meta;
            try {
                JsonValue jsz = JsonParser.parse(n.monitor("jsz"));
                JsonValue m = jsz.map == null ? null : jsz.map.get("meta_cluster");
                meta = m == null || m.map == null ? Map.of() : m.map;
            } catch (RuntimeException | java.io.IOException e) {
                views.append(n.name()).append(": ").append(e).append('\n');
                return false;
            }
            views.append(n.name()).append(": ").append(meta).append('\n');
            JsonValue l = meta.get("leader");
            if (l == null || l.string == null || l.string.isEmpty()) {
                return false;
            }
            if (leader != null && !leader.equals(l.string)) {
                return false;
            }
            leader = l.string;
            if (n.name().equals(leader)) {
                leaderView = meta;
            }
        }
        if (leaderView == null) {
            return false;
        }
        JsonValue replicas = leaderView.get("replicas");
        long current = replicas == null || replicas.array == null ? 0 : replicas.array.stream()
                .filter(r -> r.map != null && r.map.get("current") != null
                        && Boolean.TRUE.equals(r.map.get("current").bool)
                        && running.stream().anyMatch(n -> n.name().equals(r.map.get("name").string)))
                .count();
        return current == running.size() - 1;
    }

    /** Closes every node and deletes their temporary stores. */
    @Override
    public void close() {
        closeAll(nodes);
    }

    /** Closes every server, even when one fails to close; the first failure is thrown with the others suppressed. */
    static void closeAll(List<NatsServer> servers) {
        RuntimeException first = null;
        for (NatsServer n : servers) {
            try {
                n.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public String toString() {
        return "NatsCluster" + nodes;
    }

    /** Configures a {@link NatsCluster}. */
    public static final class Builder {
        private int size = 3;
        private String name = "natsmigrate";
        private NatsServerBinary binary;
        private String syncInterval;
        private boolean leafNodeListener;
        private Duration readyTimeout = Duration.ofSeconds(30);

        private Builder() {
        }

        /** Number of nodes (at least 2; JetStream needs 3 for R3 streams that survive a node loss). */
        public Builder size(int size) {
            if (size < 2) {
                throw new IllegalArgumentException("A cluster needs at least 2 nodes, was " + size);
            }
            this.size = size;
            return this;
        }

        /** The cluster name. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** The binary for every node. */
        public Builder binary(NatsServerBinary binary) {
            this.binary = Objects.requireNonNull(binary, "binary");
            return this;
        }

        /** JetStream {@code sync_interval} on every node. */
        public Builder syncInterval(String interval) {
            this.syncInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /** Every node accepts leaf node connections ({@link NatsServer#leafNodePort()}), as a hub cluster does. */
        public Builder leafNodeListener(boolean enabled) {
            this.leafNodeListener = enabled;
            return this;
        }

        /** How long {@link #start()} waits for a meta leader and full peer set (default 30 s). */
        public Builder readyTimeout(Duration timeout) {
            this.readyTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Starts all nodes and waits until JetStream is ready across the cluster. */
        public NatsCluster start() {
            NatsServerBinary bin = binary != null ? binary : NatsServerBinary.find();
            // Read by the route suppliers of nodes starting in parallel, hence copy-on-write.
            List<NatsServer> nodes = new CopyOnWriteArrayList<>();
            try {
                String prefix = name + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
                NatsServer seed = node(bin, prefix + "-0", nodes, 0).start();
                nodes.add(seed);
                // The other nodes only need the seed's route port to join, so they start in parallel.
                List<CompletableFuture<NatsServer>> rest = new ArrayList<>();
                List<NatsServer.Builder> builders = new ArrayList<>();
                for (int i = 1; i < size; i++) {
                    builders.add(node(bin, prefix + "-" + i, nodes, i));
                }
                for (NatsServer.Builder b : builders) {
                    rest.add(CompletableFuture.supplyAsync(b::start));
                }
                RuntimeException failure = null;
                for (CompletableFuture<NatsServer> f : rest) {
                    try {
                        nodes.add(f.join());
                    } catch (CompletionException e) {
                        RuntimeException cause = e.getCause() instanceof RuntimeException re ? re : e;
                        if (failure == null) {
                            failure = cause;
                        } else {
                            failure.addSuppressed(cause);
                        }
                    }
                }
                if (failure != null) {
                    throw failure;
                }
                // Swap the seed's placeholder route for its real peers (their ports are known now).
                seed.reload();
                NatsCluster cluster = new NatsCluster(new ArrayList<>(nodes), readyTimeout);
                cluster.awaitJetStreamReady();
                return cluster;
            } catch (RuntimeException e) {
                nodes.forEach(NatsServer::close);
                throw e;
            }
        }

        private NatsServer.Builder node(NatsServerBinary bin, String nodeName, List<NatsServer> all, int index) {
            NatsServer.Builder b = NatsServer.builder()
                    .binary(bin)
                    .serverName(nodeName)
                    .jetStream(true)
                    // Routes are computed at every (re)start: all peers whose route port is known, except self.
                    .cluster(name, () -> {
                        List<Integer> ports = new ArrayList<>();
                        for (int i = 0; i < all.size(); i++) {
                            if (i != index) {
                                ports.add(all.get(i).routePort());
                            }
                        }
                        return ports;
                    });
            if (syncInterval != null) {
                b.syncInterval(syncInterval);
            }
            b.leafNodeListener(leafNodeListener);
            return b;
        }
    }
}
