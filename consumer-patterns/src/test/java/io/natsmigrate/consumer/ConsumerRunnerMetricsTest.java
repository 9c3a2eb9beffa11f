package io.natsmigrate.consumer;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.testkit.NatsTest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@NatsTest
class ConsumerRunnerMetricsTest {

    @Test
    void theMetersShowWhatTheRunnerHandledFailedAndHadRedelivered(Connection nc, JetStreamManagement jsm)
            throws Exception {
        jsm.addStream(StreamConfiguration.builder().name("WORK").subjects("work.>").build());
        for (int i = 0; i < 20; i++) {
            nc.jetStream().publish("work.item", ("job " + i).getBytes(StandardCharsets.UTF_8));
        }
        Set<String> failedOnce = ConcurrentHashMap.newKeySet();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (ConsumerRunner runner = ConsumerRunner.builder(nc, "WORK", ConsumerConfiguration.builder()
                .durable("metered").ackPolicy(AckPolicy.Explicit).build()).handler(d -> {
                    String body = new String(d.message().getData(), StandardCharsets.UTF_8);
                    if (body.equals("job 3")) {
                        return Outcome.term("bad job");
                    }
                    if (body.endsWith("5") && failedOnce.add(body)) {
                        throw new IllegalStateException("flaky"); // a nak: redelivered once
                    }
                    return Outcome.ack();
                }).build()) {
            new ConsumerRunnerMetrics(runner, "worker").bindTo(registry);
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> runner.stats().acked() == 19);
            assertThat(registry.get("natsmigrate.consumer.messages").tag("outcome", "acked").functionCounter()
                    .count()).isEqualTo(19);
            assertThat(registry.get("natsmigrate.consumer.messages").tag("outcome", "termed").functionCounter()
                    .count()).isEqualTo(1);
            assertThat(registry.get("natsmigrate.consumer.messages").tag("outcome", "naked").functionCounter()
                    .count()).isEqualTo(2);
            assertThat(registry.get("natsmigrate.consumer.handler.failures").functionCounter().count()).isEqualTo(2);
            assertThat(registry.get("natsmigrate.consumer.redeliveries").functionCounter().count()).isEqualTo(2);
            // 20 first deliveries and 2 redeliveries, each a handler call.
            assertThat(registry.get("natsmigrate.consumer.handler").tag("runner", "worker").tag("stream", "WORK")
                    .tag("consumer", "metered").functionTimer().count()).isEqualTo(22);
            assertThat(registry.get("natsmigrate.consumer.handler").functionTimer().totalTime(TimeUnit.NANOSECONDS))
                    .isPositive();
            assertThat(registry.get("natsmigrate.consumer.in.progress").gauge().value()).isZero();
        }
    }
}
