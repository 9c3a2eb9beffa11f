package io.natsmigrate.testkit;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.natsmigrate.testkit.NatsAssertions.assertThatStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterTest {

    @Test
    void r3StreamStaysAvailableWhenOneNodeIsKilled() throws Exception {
        try (NatsCluster cluster = NatsCluster.builder().size(3).start();
             Connection nc = cluster.connect()) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            StreamInfo info = jsm.addStream(StreamConfiguration.builder()
                    .name("ORDERS").subjects("orders.>").replicas(3).storageType(StorageType.File).build());
            assertThat(info.getConfiguration().getReplicas()).isEqualTo(3);
            JetStream js = nc.jetStream();
            // A new R3 stream answers once its own leader is elected, shortly after addStream returns.
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> jsm.getStreamInfo("ORDERS").getClusterInfo().getLeader() != null);
            for (int i = 0; i < 50; i++) {
                publishWithRetry(js, "orders.a", ("m" + i).getBytes());
            }

            // Kill the stream leader itself: the hardest case, a new leader must be elected.
            String leader = jsm.getStreamInfo("ORDERS").getClusterInfo().getLeader();
            NatsServer victim = cluster.nodes().stream().filter(n -> n.name().equals(leader)).findFirst().orElseThrow();
            victim.kill();
            assertThat(victim.isRunning()).isFalse();

            // Publishing keeps working on the surviving two (retry only while the new leader is elected).
            for (int i = 50; i < 100; i++) {
                publishWithRetry(js, "orders.a", ("m" + i).getBytes());
            }
            assertThatStream(jsm, "ORDERS").within(Duration.ofSeconds(10)).hasMessages(100);

            victim.restart();
            cluster.awaitJetStreamReady();
            assertThatStream(jsm, "ORDERS").within(Duration.ofSeconds(10)).hasMessages(100);
        }
    }

    @Test
    void leadersAreFoundByNameKilledAndTheClusterSurvivesARollingRestart() throws Exception {
        try (NatsCluster cluster = NatsCluster.builder().start(); Connection nc = cluster.connect()) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name("LEAD").subjects("lead.>").replicas(3).build());
            cluster.awaitStreamReady("LEAD");
            NatsServer meta = cluster.metaLeader();
            assertThat(cluster.nodes()).contains(meta);
            NatsServer leader = cluster.streamLeader("LEAD");
            assertThat(cluster.node(leader.name())).isSameAs(leader);
            assertThatThrownBy(() -> cluster.node("nobody")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("No node named nobody");

            NatsServer killed = cluster.killStreamLeader("LEAD");
            assertThat(killed).isSameAs(leader);
            assertThat(killed.isRunning()).isFalse();
            NatsServer next = cluster.streamLeader("LEAD"); // waits for the election
            assertThat(next).isNotSameAs(killed);
            killed.restart();
            cluster.awaitStreamReady("LEAD");

            publishWithRetry(nc.jetStream(), "lead.a", "before".getBytes());
            cluster.rollingRestart("LEAD");
            assertThat(cluster.nodes()).allMatch(NatsServer::isRunning);
            publishWithRetry(nc.jetStream(), "lead.a", "after".getBytes());
            assertThatStream(jsm, "LEAD").within(Duration.ofSeconds(10)).hasMessages(2);
        }
    }

    private static void publishWithRetry(JetStream js, String subject, byte[] data) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            try {
                js.publish(subject, data, io.nats.client.PublishOptions.builder().messageId(new String(data)).build());
                return;
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }
}
