package io.natsmigrate.testkit;

import io.nats.client.Connection;
import org.junit.jupiter.api.extension.ParameterResolutionException;

import java.io.IOException;
import java.util.Optional;

/** Whatever {@link NatsServerExtension} started for a scope; closed by JUnit when the scope ends. */
final class StartedTopology implements AutoCloseable {

    private final NatsTest.Topology kind;
    private final NatsTopology topology;
    private final NatsServer server;

    private StartedTopology(NatsTest.Topology kind, NatsTopology topology, NatsServer server) {
        this.kind = kind;
        this.topology = topology;
        this.server = server;
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
                return new StartedTopology(spec.topology(), c, c.node(0));
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
                return new StartedTopology(spec.topology(), h, h.hub());
            }
            default -> {
                NatsServer.Builder b = NatsServer.builder().jetStream(spec.jetStream());
                if (sync != null) {
                    b.syncInterval(sync);
                }
                if (domain != null) {
                    b.domain(domain);
                }
                NatsServer single = b.start();
                return new StartedTopology(spec.topology(), single, single);
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

    /** The started topology as {@code type} (a parameter of that type asks for it), if it is one. */
    <T extends NatsTopology> Optional<T> as(Class<T> type) {
        return type.isInstance(topology) ? Optional.of(type.cast(topology)) : Optional.empty();
    }

    /** A connection to the server, to the whole cluster, or to the hub. */
    Connection connect() {
        try {
            return topology.connect();
        } catch (IOException e) {
            throw new ParameterResolutionException("Could not connect to " + this + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ParameterResolutionException("Interrupted while connecting to " + this, e);
        }
    }

    String logTails(int lines) {
        return topology.logTails(lines);
    }

    @Override
    public void close() {
        topology.close();
    }

    @Override
    public String toString() {
        return kind + " " + topology;
    }
}
