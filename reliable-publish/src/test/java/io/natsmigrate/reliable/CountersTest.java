package io.natsmigrate.reliable;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.External;
import io.nats.client.api.PublishAck;
import io.nats.client.api.Source;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.SubjectTransform;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.natsmigrate.primitives.ServerTooOldException;
import io.natsmigrate.testkit.HubAndLeaf;
import io.natsmigrate.testkit.NatsServer;
import io.natsmigrate.testkit.NatsServerBinary;
import io.natsmigrate.testkit.NatsTest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Distributed counters (nats-server 2.12 {@code allow_msg_counter}), checked on real servers. */
class CountersTest {

    private static StreamConfiguration counters(String name, String... subjects) {
        return StreamConfiguration.builder().name(name).subjects(subjects).allowMessageCounter().allowDirect(true)
                .build();
    }

    @Test
    @NatsTest
    void addsReadsAndAMsgIdIsCountedOnce(Connection nc, JetStreamManagement jsm) throws Exception {
        jsm.addStream(counters("COUNTS", "counts.>"));
        try (Counters c = Counters.on(nc, "COUNTS")) {
            assertThat(c.value("counts.orders")).isZero();
            assertThat(c.increment("counts.orders")).isEqualTo(BigInteger.ONE);
            assertThat(c.add("counts.orders", 41)).isEqualTo(BigInteger.valueOf(42));
            assertThat(c.decrement("counts.orders")).isEqualTo(BigInteger.valueOf(41));
            assertThat(c.add("counts.big", new BigInteger("123456789012345678901234567890")))
                    .isEqualTo(new BigInteger("123456789012345678901234567890"));
            assertThat(c.value("counts.orders")).isEqualTo(BigInteger.valueOf(41));
            assertThat(c.sources("counts.orders")).isEmpty();
        }
        // Fact: an increment repeated with the same Msg-Id (a retry after a lost ack) is counted once.
        NatsMessage m = NatsMessage.builder().subject("counts.retry").headers(new Headers().put("Nats-Msg-Id", "r1")
                .put(Counters.INCREMENT_HEADER, "5")).build();
        PublishAck first = nc.jetStream().publish(m);
        PublishAck again = nc.jetStream().publish(m);
        assertThat(first.getVal()).isEqualTo("5");
        assertThat(again.isDuplicate()).isTrue();
        try (Counters c = Counters.on(nc, "COUNTS")) {
            assertThat(c.value("counts.retry")).isEqualTo(BigInteger.valueOf(5));
        }
    }

    @Test
    @NatsTest
    void badStreamsAreRefusedWithTheFix(Connection nc, JetStreamManagement jsm) throws Exception {
        jsm.addStream(StreamConfiguration.builder().name("PLAIN").subjects("plain.>").build());
        assertThatThrownBy(() -> Counters.on(nc, "MISSING")).isInstanceOf(NoSuchStreamException.class);
        assertThatThrownBy(() -> Counters.on(nc, "PLAIN")).isInstanceOf(NotACounterStreamException.class)
                .hasMessageContaining("allowMessageCounter()");
        jsm.addStream(counters("COUNTS", "counts.>"));
        try (Counters c = Counters.on(nc, "COUNTS")) {
            assertThatThrownBy(() -> c.add("counts.*", 1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> c.add("counts.x", null)).isInstanceOf(NullPointerException.class);
            // A subject another (non-counter) stream stores: the ack has no value.
            assertThatThrownBy(() -> c.add("plain.x", 1)).isInstanceOf(NotACounterStreamException.class)
                    .hasMessageContaining("10168");
        }
    }

    @Test
    void aServerOlderThan212IsRefused() throws Exception {
        try (NatsServer old = NatsServer.builder().binary(NatsServerBinary.legacy()).start();
             Connection nc = old.connect()) {
            assertThatThrownBy(() -> Counters.on(nc, "COUNTS")).isInstanceOf(ServerTooOldException.class)
                    .hasMessageContaining("2.12.0");
        }
    }

    /**
     * Moving counters between systems: each system counts on its own counter stream (8 threads x 500 increments
     * on each), and a counter stream on the hub that sources both aggregates them exactly, keeping each source's
     * share.
     */
    @Test
    void countersOfTwoSystemsAggregateExactlyBySourcing() throws Exception {
        try (HubAndLeaf topo = HubAndLeaf.builder().start();
             Connection hub = topo.hub().connect(); Connection leaf = topo.leaf().connect()) {
            // Each system counts under its own prefix: a leaf forwards what the hub is interested in, so the same
            // subjects on both would count every leaf increment on the hub too (the forwarding fact of cross-system).
            hub.jetStreamManagement().addStream(counters("HUB_COUNTS", "hub.counts.>"));
            leaf.jetStreamManagement().addStream(counters("LEAF_COUNTS", "leaf.counts.>"));
            hub.jetStreamManagement().addStream(StreamConfiguration.builder().name("TOTAL").allowMessageCounter()
                    .allowDirect(true).sources(
                            Source.builder().name("HUB_COUNTS").subjectTransforms(SubjectTransform.builder()
                                    .source("hub.counts.>").destination("counts.>").build()).build(),
                            Source.builder().name("LEAF_COUNTS").external(External.builder()
                                    .api(topo.leafApiPrefix()).build()).subjectTransforms(SubjectTransform.builder()
                                    .source("leaf.counts.>").destination("counts.>").build()).build())
                    .build());
            List<CompletableFuture<Void>> writers = new ArrayList<>();
            for (Connection nc : List.of(hub, leaf)) {
                String system = nc == hub ? "hub" : "leaf";
                for (int t = 0; t < 8; t++) {
                    writers.add(CompletableFuture.runAsync(() -> {
                        try (Counters c = Counters.on(nc, system.toUpperCase() + "_COUNTS")) {
                            for (int i = 0; i < 500; i++) {
                                c.increment(system + ".counts.orders");
                            }
                        }
                    }));
                }
            }
            CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).join();
            try (Counters hubCounts = Counters.on(hub, "HUB_COUNTS"); Counters leafCounts = Counters.on(leaf,
                    "LEAF_COUNTS"); Counters total = Counters.on(hub, "TOTAL")) {
                assertThat(hubCounts.value("hub.counts.orders")).isEqualTo(BigInteger.valueOf(4_000));
                assertThat(leafCounts.value("leaf.counts.orders")).isEqualTo(BigInteger.valueOf(4_000));
                Awaitility.await().atMost(Duration.ofSeconds(20))
                        .until(() -> total.value("counts.orders").equals(BigInteger.valueOf(8_000)));
                Map<String, Map<String, BigInteger>> sources = total.sources("counts.orders");
                System.out.println("TOTAL counts.orders sources: " + sources);
                assertThat(sources).hasSize(2);
                assertThat(sources.values()).allSatisfy(bySubject -> assertThat(bySubject.values())
                        .containsExactly(BigInteger.valueOf(4_000)));
            }
        }
    }
}
