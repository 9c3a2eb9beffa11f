package io.natsmigrate.consumer;

import io.nats.client.Connection;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.PriorityPolicy;
import io.natsmigrate.core.CoreToJetStreamRecipe;
import io.natsmigrate.core.MigrationRunner;
import io.natsmigrate.core.rabbitmq.RabbitDefinitions;
import io.natsmigrate.core.rabbitmq.RabbitMqMigration;
import io.natsmigrate.core.rabbitmq.RabbitMqRecipe;
import io.natsmigrate.testkit.NatsServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * RabbitMQ's single active consumer translated to a priority group with the pinned-client policy: of two runners
 * on the same consumer only one receives; when it stops, the other takes over after the pin's TTL.
 */
class SingleActiveConsumerTest {

    static final String EXPORT = """
            {"vhosts": [{"name": "/"}],
             "queues": [{"name": "orders", "vhost": "/", "durable": true, "auto_delete": false,
                         "arguments": {"x-single-active-consumer": true}}]}
            """;

    @Test
    void oneOfTwoRunnersReceivesAndTheOtherTakesOverWhenItStops() throws Exception {
        RabbitMqMigration m = RabbitMqRecipe.from(RabbitDefinitions.parse(EXPORT)).build();
        ConsumerConfiguration config = m.queueConsumer("orders");
        assertThat(config.getPriorityPolicy()).isEqualTo(PriorityPolicy.PinnedClient);
        assertThat(config.getPriorityGroups()).containsExactly("single-active");
        assertThat(m.report().untranslated()).isEmpty();
        assertThat(m.report().differences()).anySatisfy(i -> assertThat(i.reason()).contains("pinned-client"));

        try (NatsServer server = NatsServer.start(); Connection nc = server.connect()) {
            try (MigrationRunner runner = m.plan().runner(nc).build()) {
                runner.applyTo(CoreToJetStreamRecipe.PROVISION);
            }
            String stream = m.queueStream("orders").getName();
            AtomicInteger first = new AtomicInteger();
            AtomicInteger second = new AtomicInteger();
            ConsumerRunner a = ConsumerRunner.builder(nc, stream, config).handler(d -> {
                first.incrementAndGet();
                return Outcome.ack();
            }).build();
            try (ConsumerRunner b = ConsumerRunner.builder(nc, stream, config).handler(d -> {
                second.incrementAndGet();
                return Outcome.ack();
            }).build()) {
                for (int i = 0; i < 20; i++) {
                    nc.jetStream().publish(m.subject("", "orders"), new byte[]{(byte) i});
                }
                await().atMost(Duration.ofSeconds(15)).until(() -> first.get() + second.get() == 20);
                assertThat(first.get() == 20 || second.get() == 20)
                        .as("one runner handled all: " + first + " and " + second).isTrue();
                boolean aWasActive = first.get() == 20;
                ConsumerRunner active = aWasActive ? a : b;
                active.close();
                for (int i = 0; i < 10; i++) {
                    nc.jetStream().publish(m.subject("", "orders"), new byte[]{(byte) i});
                }
                AtomicInteger other = aWasActive ? second : first;
                await().atMost(Duration.ofSeconds(40)).until(() -> other.get() == 10);
            } finally {
                a.close();
            }
        }
    }
}
