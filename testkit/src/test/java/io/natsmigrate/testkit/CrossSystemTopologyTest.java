package io.natsmigrate.testkit;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class CrossSystemTopologyTest {

    /**
     * Isolated subjects do not cross from the old system to the new one; others still do. The leaf forwards only
     * what it is interested in itself (as the bridge's clone is), so a subscriber on the leaf stands in for the
     * clone. The later message on a free subject travels the same path (old system, leaf, new system) in order, so
     * once it has arrived an isolated one sent before it would have too.
     */
    @Test
    void isolatedSubjectsStayOnTheirSystemOthersCross() throws Exception {
        try (CrossSystemTopology topo = CrossSystemTopology.builder().isolate("QUEUE.>").start();
             Connection oldNc = topo.source().connect();
             Connection leafNc = topo.leaf().connect();
             Connection newNc = topo.target().connect()) {
            assertThat(topo.leafDomain()).isEqualTo("leaf");
            List<String> onLeaf = new CopyOnWriteArrayList<>();
            Dispatcher leafSub = leafNc.createDispatcher(m -> onLeaf.add(m.getSubject()));
            leafSub.subscribe(">");
            leafNc.flush(Duration.ofSeconds(2));
            List<String> seen = new CopyOnWriteArrayList<>();
            Dispatcher d = newNc.createDispatcher(m -> seen.add(m.getSubject()));
            d.subscribe("QUEUE.>");
            d.subscribe("free.>");
            newNc.flush(Duration.ofSeconds(2));
            // Interest in free.> reaches the old system through the leaf: wait until a probe comes through.
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                oldNc.publish("free.probe", new byte[0]);
                return seen.contains("free.probe");
            });
            oldNc.publish("QUEUE.orders", new byte[0]);
            oldNc.publish("free.after", new byte[0]);
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("free.after"));
            assertThat(seen).doesNotContain("QUEUE.orders");
            await().atMost(Duration.ofSeconds(10)).until(() -> onLeaf.contains("QUEUE.orders")); // it was sent
        }
    }

    @Test
    void eitherSystemCanBeAThreeNodeClusterWithTheLeafDomainReachableFromBoth() throws Exception {
        try (CrossSystemTopology topo = CrossSystemTopology.builder().isolate("QUEUE.>").sourceNodes(3)
                .targetNodes(3).start();
             Connection source = topo.connectSource(); Connection target = topo.connectTarget()) {
            assertThat(topo.sourceNodes()).hasSize(3);
            assertThat(topo.targetNodes()).hasSize(3);
            assertThat(topo.source()).isSameAs(topo.sourceNodes().get(0));
            // R3 streams on both systems, and the leaf's JetStream domain answers through either.
            for (Connection nc : List.of(source, target)) {
                nc.jetStreamManagement().addStream(io.nats.client.api.StreamConfiguration.builder().name("R3")
                        .subjects("r3.>").replicas(3).build());
                assertThat(nc.jetStreamManagement(io.nats.client.JetStreamOptions.builder()
                        .domain(topo.leafDomain()).build()).getAccountStatistics()).isNotNull();
            }
        }
        assertThatThrownBy(() -> CrossSystemTopology.builder().sourceNodes(2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cluster of 3");
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> CrossSystemTopology.builder().leafDomain("a b").start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("letters, digits");
        assertThatThrownBy(() -> NatsServer.builder().leafRemoteDenying(7422, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no subjects to deny");
        assertThatThrownBy(() -> CrossSystemTopology.builder().leafDomain(null))
                .isInstanceOf(NullPointerException.class).hasMessage("domain");
    }
}
