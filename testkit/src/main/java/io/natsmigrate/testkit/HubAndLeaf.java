package io.natsmigrate.testkit;

import io.nats.client.Connection;
import io.nats.client.support.JsonParser;
import io.nats.client.support.JsonValue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A hub server and a leaf node server, both with JetStream, the leaf in its own JetStream domain: the setup of
 * the cross-system migration walkthrough, where a stream on the hub sources from a stream on the leaf through
 * the leaf domain's API prefix {@code $JS.<domain>.API}.
 *
 * <pre>{@code
 * try (HubAndLeaf topo = HubAndLeaf.builder().leafDomain("leaf").start();
 *      Connection hub = topo.hub().connect()) {
 *     StreamSource src = StreamSource.builder().name("QUEUE").domain(topo.leafDomain()).build();
 *     hub.jetStreamManagement().addStream(StreamConfiguration.builder().name("QUEUE_target").sources(src).build());
 * }
 * }</pre>
 *
 * <p>Both sides use the default account. The hub has no JetStream domain unless one is set, like a
 * self-managed system whose domain must not change. {@link Builder#start()} returns once the leaf connection is up and
 * the leaf's JetStream API answers through the hub.
 */
public final class HubAndLeaf implements NatsTopology {

    private final NatsServer hub;
    private final NatsServer leaf;
    private final String leafDomain;
    private final Duration readyTimeout;

    private HubAndLeaf(NatsServer hub, NatsServer leaf, String leafDomain, Duration readyTimeout) {
        this.hub = hub;
        this.leaf = leaf;
        this.leafDomain = leafDomain;
        this.readyTimeout = readyTimeout;
    }

    /** A builder for a hub without domain and a leaf in domain {@code leaf}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The hub, then the leaf. */
    @Override
    public List<NatsServer> servers() {
        return List.of(hub(), leaf());
    }

    /** Connects to the hub (the leaf's JetStream through {@link #leafApiPrefix()}). */
    @Override
    public Connection connect() throws IOException, InterruptedException {
        return hub().connect();
    }

    /** The hub (the system the leaf connects to). */
    public NatsServer hub() {
        return hub;
    }

    /** The leaf node server. */
    public NatsServer leaf() {
        return leaf;
    }

    /** The leaf's JetStream domain. */
    public String leafDomain() {
        return leafDomain;
    }

    /** The API prefix that reaches the leaf's JetStream from the hub: {@code $JS.<domain>.API}. */
    public String leafApiPrefix() {
        return "$JS." + leafDomain + ".API";
    }

    /**
     * Waits until the hub reports the leaf connection and the leaf domain's JetStream API answers a request
     * sent on the hub, e.g. after restarting either side.
     *
     * @throws IllegalStateException with both servers' log tails when that does not happen in time
     */
    public void awaitLeafConnected() {
        Poll.until(readyTimeout, state -> {
            if (leafCount() > 0 && LeafDomain.answersOn(hub, leafDomain)) {
                return true;
            }
            state.append("hub /leafz: ").append(hub.monitor("leafz"));
            return false;
        }, last -> new IllegalStateException("Leaf " + leaf.name() + " not connected to hub " + hub.name() + " with"
                + " JetStream domain " + leafDomain + " within " + readyTimeout + ". Last state: " + last
                + "\n--- hub log ---\n" + hub.log().tail(20) + "\n--- leaf log ---\n" + leaf.log().tail(20)));
    }

    private long leafCount() throws IOException {
        JsonValue v = JsonParser.parse(hub.monitor("leafz")).map.get("leafnodes");
        return v == null || v.i == null ? 0 : v.i;
    }

    /** Closes the leaf, then the hub. */
    @Override
    public void close() {
        try {
            leaf.close();
        } finally {
            hub.close();
        }
    }

    @Override
    public String toString() {
        return "HubAndLeaf[hub=" + hub + ", leaf=" + leaf + ", leafDomain=" + leafDomain + "]";
    }

    /** Configures a {@link HubAndLeaf}. */
    public static final class Builder {
        private String hubDomain;
        private String leafDomain = "leaf";
        private NatsServerBinary binary;
        private String syncInterval;
        private Duration readyTimeout = Duration.ofSeconds(20);

        private Builder() {
        }

        /** Gives the hub a JetStream domain too (default: none). */
        public Builder hubDomain(String domain) {
            this.hubDomain = Objects.requireNonNull(domain, "domain");
            return this;
        }

        /** The leaf's JetStream domain (default {@code leaf}); must differ from the hub's. */
        public Builder leafDomain(String domain) {
            this.leafDomain = Objects.requireNonNull(domain, "domain");
            return this;
        }

        /** The binary for both servers. */
        public Builder binary(NatsServerBinary binary) {
            this.binary = Objects.requireNonNull(binary, "binary");
            return this;
        }

        /** JetStream {@code sync_interval} on both servers. */
        public Builder syncInterval(String interval) {
            this.syncInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /** How long to wait for the leaf connection (default 20 s). */
        public Builder readyTimeout(Duration timeout) {
            this.readyTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Starts the hub, then the leaf, and waits until the leaf's JetStream domain answers through the hub. */
        public HubAndLeaf start() {
            if (leafDomain.equals(hubDomain)) {
                throw new IllegalArgumentException("Hub and leaf both use JetStream domain \"" + leafDomain
                        + "\": give them different domains, or the hub's API requests would be ambiguous");
            }
            NatsServerBinary bin = binary != null ? binary : NatsServerBinary.find();
            String suffix = Long.toHexString(System.nanoTime() & 0xffffff);
            NatsServer.Builder hb = NatsServer.builder().binary(bin).serverName("hub-" + suffix).leafNodeListener(true);
            if (hubDomain != null) {
                hb.domain(hubDomain);
            }
            if (syncInterval != null) {
                hb.syncInterval(syncInterval);
            }
            NatsServer hub = hb.start();
            NatsServer leaf = null;
            try {
                NatsServer.Builder lb = NatsServer.builder().binary(bin).serverName("leaf-" + suffix)
                        .domain(leafDomain).leafRemote(hub.leafNodePort());
                if (syncInterval != null) {
                    lb.syncInterval(syncInterval);
                }
                leaf = lb.start();
                HubAndLeaf topology = new HubAndLeaf(hub, leaf, leafDomain, readyTimeout);
                topology.awaitLeafConnected();
                return topology;
            } catch (RuntimeException e) {
                if (leaf != null) {
                    leaf.close();
                }
                hub.close();
                throw e;
            }
        }
    }
}
