package io.natsmigrate.core;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.Subscription;
import io.nats.client.api.External;
import io.nats.client.api.Source;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.primitives.ServerFeature;
import io.natsmigrate.primitives.ServerTooOldException;
import io.natsmigrate.testkit.CrossSystemTopology;
import io.natsmigrate.testkit.NatsServer;
import io.natsmigrate.testkit.NatsServerBinary;
import io.natsmigrate.testkit.NatsTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Message tracing (nats-server 2.11+) shows the real path of a subject, on real servers. */
class RouteTraceTest {

    @NatsTest
    @Test
    void aTraceOnlyMessageNamesTheStreamThatWouldStoreItAndIsNeitherDeliveredNorStored(JetStreamManagement jsm,
                                                                                      Connection nc)
            throws Exception {
        jsm.addStream(StreamConfiguration.builder().name("ORDERS").subjects("orders.>").build());
        Subscription app = nc.subscribe("orders.new");
        nc.flush(Duration.ofSeconds(1));

        TracedRoute route = RouteTrace.on(nc).trace("orders.new");

        assertThat(route.complete()).isTrue();
        assertThat(route.streamNames()).containsExactly("ORDERS");
        assertThat(route.streamNamesOn(nc)).containsExactly("ORDERS");
        assertThat(route.clientDeliveries()).isEqualTo(1);
        assertThat(route.errors()).isEmpty();
        assertThat(route.servers()).hasSize(1);
        assertThat(route.servers().get(0).events()).extracting(TraceEvent::type)
                .contains(TraceEvent.Type.INGRESS, TraceEvent.Type.JETSTREAM, TraceEvent.Type.EGRESS);
        assertThat(route.toString()).contains("stream ORDERS");
        assertThat(app.nextMessage(Duration.ofMillis(300))).isNull();
        assertThat(jsm.getStreamInfo("ORDERS").getStreamState().getMsgCount()).isZero();

        TracedRoute delivered = RouteTrace.on(nc).traceOnly(false).trace("orders.new");
        assertThat(delivered.streamNames()).containsExactly("ORDERS");
        assertThat(app.nextMessage(Duration.ofSeconds(2))).isNotNull();
        assertThat(jsm.getStreamInfo("ORDERS").getStreamState().getMsgCount()).isEqualTo(1);
    }

    @NatsTest
    @Test
    void aSubjectNoStreamListensOnReachesNone(Connection nc) throws Exception {
        TracedRoute route = RouteTrace.on(nc).trace("nobody.listens");
        assertThat(route.streamNames()).isEmpty();
        assertThat(route.clientDeliveries()).isZero();
        assertThatThrownBy(() -> RouteTrace.on(nc).trace("orders.*"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("orders.*");
        assertThatThrownBy(() -> RouteTrace.on(nc).timeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout must be positive");
        Connection closed = io.nats.client.Nats.connect(nc.getConnectedUrl());
        closed.close();
        assertThatThrownBy(() -> RouteTrace.on(closed)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("The connection is closed");
    }

    /**
     * The leak of the cross-system recipe, seen before any message flows: with the bridge's clone on the leaf and a
     * stream on the target over the same subjects, a message published on the old system reaches the target's
     * stream through the leaf unless the leaf's remote to the target denies the subjects.
     */
    @Test
    void aTraceShowsTheLeakAMissingDenyRuleCausesAndNoneOnceTheRuleIsInPlace() throws Exception {
        Map<String, Long> leakyCounts;
        try (CrossSystemTopology topo = CrossSystemTopology.builder().start()) {
            TracedRoute route = traceThroughBridge(topo);
            assertThat(route.reaches(topo.connectTarget())).as(route.toString()).isTrue();
            assertThat(route.streamNames()).contains("QUEUE");
            try (Connection target = topo.connectTarget()) {
                assertThat(route.streamNamesOn(target)).containsExactly("QUEUE");
            }
            assertThat(route.servers()).anySatisfy(s -> assertThat(s.events()).anySatisfy(e ->
                    assertThat(e.kind()).isEqualTo(TraceEvent.ConnectionKind.LEAF)));
            leakyCounts = counts(topo);
        }
        assertThat(leakyCounts).as("trace-only stores nothing anywhere").containsValues(0L).doesNotContainValue(1L);

        try (CrossSystemTopology topo = CrossSystemTopology.builder().isolate("QUEUE.>").start();
             Connection target = topo.connectTarget()) {
            TracedRoute route = traceThroughBridge(topo);
            assertThat(route.reaches(target)).isFalse();
            assertThat(route.streamNamesOn(target)).isEmpty();
            assertThat(route.streamNames()).as("the bridge's clone on the leaf still gets it").containsExactly("QUEUE");
            assertThat(counts(topo).values()).containsOnly(0L);
        }
    }

    @Test
    void theStoredOnlyInGatePassesForOneStreamAndFailsWhenALeafDomainStoresTheSubjectToo() throws Exception {
        try (CrossSystemTopology topo = CrossSystemTopology.builder().isolate("QUEUE.>").start();
             Connection source = topo.connectSource()) {
            source.jetStreamManagement().addStream(StreamConfiguration.builder().name("QUEUE").subjects("QUEUE.>")
                    .build());
            Gate gate = Gates.storedOnlyIn("QUEUE.orders", "QUEUE", Duration.ofSeconds(5));
            GateResult alone = gate.evaluate(source);
            assertThat(alone.passed()).as(alone.detail()).isTrue();
            assertThat(alone.detail()).isEqualTo("stored in [QUEUE]");

            source.jetStreamManagement(JetStreamOptions.builder().domain(topo.leafDomain()).build())
                    .addStream(StreamConfiguration.builder().name("QUEUE").subjects("QUEUE.>").build());
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> !gate.evaluate(source).passed());
            assertThat(gate.evaluate(source).detail()).contains("QUEUE on leaf-").contains("(domain leaf)");
            assertThat(Gates.storedOnlyIn("QUEUE.orders", "OTHER", Duration.ofSeconds(1)).evaluate(source)
                    .passed()).isFalse();
        }
    }

    /**
     * On the 3-node cluster an R3 stream's message is traced across the routes: the trace is complete, names the
     * stream once per replica that reports it, and the gate passes on the cluster's own connection.
     */
    @Test
    void onAClusterTheTraceFollowsTheRoutesAndTheGatePasses() throws Exception {
        try (io.natsmigrate.testkit.NatsCluster cluster = io.natsmigrate.testkit.NatsCluster.builder().start();
             Connection nc = cluster.node(0).connect()) {
            nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("ORDERS").subjects("orders.>")
                    .replicas(3).build());
            cluster.awaitStreamReady("ORDERS");
            // A leader is elected before every node has heard of the stream's interest over the routes: until
            // then a trace from this node ends here, complete and storing nowhere (seen once in CI).
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> !RouteTrace.on(nc).trace("orders.new").streamNames().isEmpty());
            TracedRoute route = RouteTrace.on(nc).trace("orders.new");
            assertThat(route.complete()).as(route.toString()).isTrue();
            assertThat(route.streamNames()).containsExactly("ORDERS");
            assertThat(route.streamNamesOn(nc)).containsExactly("ORDERS");
            GateResult gate = Gates.storedOnlyIn("orders.new", "ORDERS", Duration.ofSeconds(5)).evaluate(nc);
            assertThat(gate.passed()).as(gate.detail()).isTrue();
            assertThat(nc.jetStreamManagement().getStreamInfo("ORDERS").getStreamState().getMsgCount()).isZero();
        }
    }

    @Test
    void aServerOlderThan211IsRefusedBeforeAnythingIsPublished() throws Exception {
        try (NatsServer old = NatsServer.builder().binary(NatsServerBinary.legacy()).start();
             Connection nc = old.connect()) {
            assertThatThrownBy(() -> RouteTrace.on(nc)).isInstanceOf(ServerTooOldException.class)
                    .hasMessageContaining("Message tracing needs nats-server 2.11.0 or newer")
                    .satisfies(e -> assertThat(((ServerTooOldException) e).feature())
                            .isEqualTo(ServerFeature.MESSAGE_TRACE));
        }
    }

    private static TracedRoute traceThroughBridge(CrossSystemTopology topo) throws Exception {
        try (Connection source = topo.connectSource(); Connection target = topo.connectTarget()) {
            source.jetStreamManagement().addStream(StreamConfiguration.builder().name("QUEUE").subjects("QUEUE.>")
                    .build());
            source.jetStreamManagement(JetStreamOptions.builder().domain(topo.leafDomain()).build())
                    .addStream(StreamConfiguration.builder().name("QUEUE").subjects("QUEUE.>").build());
            target.jetStreamManagement().addStream(StreamConfiguration.builder().name("QUEUE").subjects("QUEUE.>")
                    .sources(Source.builder().name("QUEUE").external(External.builder()
                            .api("$JS." + topo.leafDomain() + ".API").build()).build()).build());
            // Interest has to travel over the leaf connections before a trace can see the path; wait for it
            // to settle by tracing until two traces in a row agree.
            TracedRoute last = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline) {
                TracedRoute now = RouteTrace.on(source).alsoListenOn(target).trace("QUEUE.orders");
                if (last != null && now.complete() && now.servers().size() == last.servers().size()
                        && now.streamNames().equals(last.streamNames()) && now.servers().size() > 1) {
                    return now;
                }
                last = now;
            }
            return last;
        }
    }

    private static Map<String, Long> counts(CrossSystemTopology topo) throws Exception {
        try (Connection source = topo.connectSource(); Connection target = topo.connectTarget()) {
            return Map.of(
                    "source", source.jetStreamManagement().getStreamInfo("QUEUE").getStreamState().getMsgCount(),
                    "leaf", source.jetStreamManagement(JetStreamOptions.builder().domain(topo.leafDomain()).build())
                            .getStreamInfo("QUEUE").getStreamState().getMsgCount(),
                    "target", target.jetStreamManagement().getStreamInfo("QUEUE").getStreamState().getMsgCount());
        }
    }

}
