package io.natsmigrate.testkit;

import io.nats.client.Connection;
import org.junit.jupiter.api.extension.ParameterResolutionException;

import java.io.IOException;
import java.util.Optional;

/** Whatever {@link NatsServerExtension} started for a scope; closed by JUnit when the scope ends. */
final class StartedTopology implements AutoCloseable {

    private final NatsTest.Topology kind;
    private final NatsServer server;
    private final NatsCluster cluster;
    private final HubAndLeaf hubAndLeaf;

    private StartedTopology(NatsTest.Topology kind, NatsServer server, NatsCluster cluster, HubAndLeaf hubAndLeaf) {
        this.kind = kind;
        this.server = server;
        this.cluster = cluster;
        this.hubAndLeaf = hubAndLeaf;
    }

    static StartedTopology start(NatsTest spec) {
        String sync = spec.syncInterval().isEmpty() ? null : spec.syncInterval();
        String domain = spec.domain().isEmpty() ? null : spec.domain();
        switch (spec.topology()) {
            case CLUSTER -> {
                NatsCluster.Builder b = NatsCluster.builder().size(spec.clusterSize());
                if (sync != null) {
                    b.syncInterval(sync);
                }
                NatsCluster c = b.start();
                return new StartedTopology(spec.topology(), c.node(0), c, null);
            }
            case HUB_AND_LEAF -> {
                HubAndLeaf.Builder b = HubAndLeaf.builder();
                if (sync != null) {
                    b.syncInterval(sync);
                }
                if (domain != null) {
                    b.leafDomain(domain);
                }
                HubAndLeaf h = b.start();
                return new StartedTopology(spec.topology(), h.hub(), null, h);
            }
            default -> {
                NatsServer.Builder b = NatsServer.builder().jetStream(spec.jetStream());
                if (sync != null) {
                    b.syncInterval(sync);
                }
                if (domain != null) {
                    b.domain(domain);
                }
                return new StartedTopology(spec.topology(), b.start(), null, null);
            }
        }
    }

    NatsTest.Topology kind() {
        return kind;
    }

    /** The single server, the cluster's first node, or the hub. */
    NatsServer server() {
        return server;
    }

    Optional<NatsCluster> cluster() {
        return Optional.ofNullable(cluster);
    }

    Optional<HubAndLeaf> hubAndLeaf() {
        return Optional.ofNullable(hubAndLeaf);
    }

    /** A connection to the server, to the whole cluster, or to the hub. */
    Connection connect() {
        try {
            return cluster != null ? cluster.connect() : server.connect();
        } catch (IOException e) {
            throw new ParameterResolutionException("Could not connect to " + this + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ParameterResolutionException("Interrupted while connecting to " + this, e);
        }
    }

    String logTails(int lines) {
        StringBuilder sb = new StringBuilder();
        if (cluster != null) {
            cluster.nodes().forEach(n -> append(sb, n, lines));
        } else if (hubAndLeaf != null) {
            append(sb, hubAndLeaf.hub(), lines);
            append(sb, hubAndLeaf.leaf(), lines);
        } else {
            append(sb, server, lines);
        }
        return sb.toString();
    }

    private static void append(StringBuilder sb, NatsServer s, int lines) {
        sb.append("--- ").append(s.name()).append(" ---\n").append(s.log().tail(lines)).append('\n');
    }

    @Override
    public void close() {
        if (cluster != null) {
            cluster.close();
        } else if (hubAndLeaf != null) {
            hubAndLeaf.close();
        } else {
            server.close();
        }
    }

    @Override
    public String toString() {
        return kind + " " + (cluster != null ? cluster : hubAndLeaf != null ? hubAndLeaf : server);
    }
}
