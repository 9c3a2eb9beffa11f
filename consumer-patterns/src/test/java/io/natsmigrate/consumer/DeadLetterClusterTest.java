package io.natsmigrate.consumer;

import io.nats.client.Connection;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.natsmigrate.testkit.NatsCluster;
import io.natsmigrate.testkit.StreamContents;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The DLQ on a 3-node cluster: its capture and DLQ streams are R3 by default, so the capture stream's leader can be
 * killed with advisories waiting in it, and the processor can crash in the middle of its work: every dead letter is
 * stored exactly once. (Advisories published while the capture stream has no leader are lost like any Core message
 * nobody receives: the kill happens while none are being published.)
 */
class DeadLetterClusterTest {

    static final int POISON = 300;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void everyDeadLetterOnceThroughACaptureLeaderKillAndAProcessorCrash() throws Exception {
        try (NatsCluster cluster = NatsCluster.builder().start(); Connection nc = cluster.connect()) {
            nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("ORDERS").subjects("orders.>")
                    .storageType(StorageType.File).replicas(3).build());
            // An R3 stream answers publishes once its leader is elected; before that a publish gets a 503.
            cluster.awaitStreamReady("ORDERS");
            DeadLetterQueue provisioned = DeadLetterQueue.builder(nc).watch("ORDERS")
                    .processorAckWait(Duration.ofSeconds(1)).build();
            assertThat(nc.jetStreamManagement().getStreamInfo("DLQ_ADVISORIES").getConfiguration().getReplicas())
                    .as("capture stream replicas by default on a cluster").isEqualTo(3);
            assertThat(nc.jetStreamManagement().getStreamInfo("DLQ").getConfiguration().getReplicas()).isEqualTo(3);

            // Every order is poison: terminated at once, while no DLQ processor runs; the advisories are captured.
            try (ConsumerRunner runner = ConsumerRunner.builder(nc, "ORDERS", DeadLetterQueueTest.billing(5))
                    .handler(d -> Outcome.term("poison")).build()) {
                for (int i = 0; i < POISON; i++) {
                    nc.jetStream().publish(NatsMessage.builder().subject("orders.created")
                            .headers(new Headers().put("Nats-Msg-Id", "o-" + i)).data("order " + i).build());
                }
                Awaitility.await().atMost(WAIT).until(() -> runner.stats().termed() == POISON);
            }
            Awaitility.await().atMost(WAIT).until(() -> nc.jetStreamManagement().getStreamInfo("DLQ_ADVISORIES")
                    .getStreamState().getMsgCount() == POISON);

            cluster.killStreamLeader("DLQ_ADVISORIES").restart();
            cluster.awaitStreamReady("DLQ_ADVISORIES");

            // A processor that crashes (its connection drops) in the middle of the work.
            try (Connection crashing = cluster.connect()) {
                DeadLetterQueue first = DeadLetterQueue.builder(crashing).watch("ORDERS")
                        .processorAckWait(Duration.ofSeconds(1)).build().start();
                Awaitility.await().atMost(WAIT).ignoreExceptions().until(() -> nc.jetStreamManagement()
                        .getStreamInfo("DLQ").getStreamState().getMsgCount() >= POISON / 3);
                crashing.close();
                first.close();
            }
            // The DLQ stream's leader goes too, while the next processor writes.
            try (Connection next = cluster.connect();
                 DeadLetterQueue second = DeadLetterQueue.builder(next).watch("ORDERS")
                         .processorAckWait(Duration.ofSeconds(1)).build().start()) {
                cluster.killStreamLeader("DLQ").restart();
                // Reads fail while the DLQ stream elects its leader: keep asking.
                Awaitility.await().atMost(WAIT).ignoreExceptions().until(() -> second.deadLetters().size() == POISON);
            }
            cluster.awaitStreamReady("DLQ");
            Map<String, Integer> bySequence = StreamContents.countBy(nc, "DLQ",
                    m -> m.getHeaders().getFirst(DeadLetter.SEQUENCE));
            assertThat(bySequence).hasSize(POISON);
            assertThat(bySequence.values()).allMatch(n -> n == 1);
            assertThat(provisioned.dlqStream()).isEqualTo("DLQ");
        }
    }
}
