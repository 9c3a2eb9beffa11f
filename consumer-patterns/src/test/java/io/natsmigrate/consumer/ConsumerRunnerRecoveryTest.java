package io.natsmigrate.consumer;

import io.nats.client.Connection;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.natsmigrate.testkit.NatsServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static io.natsmigrate.testkit.NatsAssertions.assertThatConsumer;
import static org.assertj.core.api.Assertions.assertThat;

class ConsumerRunnerRecoveryTest {

    @Test
    void theRunnerRecoversFromServerKillsByItself() throws Exception {
        try (NatsServer server = NatsServer.builder().syncInterval("always").start(); Connection nc = server.connect()) {
            nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("WORK").subjects("work.>")
                    .storageType(StorageType.File).build());
            for (int i = 0; i < 300; i++) {
                nc.jetStream().publish(NatsMessage.builder().subject("work.item")
                        .headers(new Headers().put("Nats-Msg-Id", "job-" + i)).data("x").build());
            }
            Map<String, Integer> handled = new ConcurrentHashMap<>();
            try (ConsumerRunner runner = ConsumerRunner.builder(nc, "WORK", ConsumerConfiguration.builder()
                            .durable("r").ackWait(Duration.ofSeconds(2)).build())
                    .concurrency(2).batchSize(10).handler(d -> {
                        handled.merge(d.msgId(), 1, Integer::sum);
                        return Outcome.ack();
                    }).build()) {
                for (int threshold : new int[]{60, 150}) {
                    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> handled.size() >= threshold);
                    server.kill();
                    server.restart();
                }
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> handled.size() == 300);
                assertThatConsumer(nc, "WORK", "r").within(Duration.ofSeconds(30)).isDrained();
            }
            // At-least-once: acks lost in a kill bring a message back; nothing is lost.
            assertThat(handled).hasSize(300);
        }
    }
}
