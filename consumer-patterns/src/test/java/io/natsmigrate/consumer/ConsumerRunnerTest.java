package io.natsmigrate.consumer;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.natsmigrate.primitives.ServerTooOldException;
import io.natsmigrate.testkit.NatsServer;
import io.natsmigrate.testkit.NatsServerBinary;
import io.natsmigrate.testkit.NatsTest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static io.natsmigrate.testkit.NatsAssertions.assertThatConsumer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@NatsTest
class ConsumerRunnerTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static void stream(JetStreamManagement jsm) throws Exception {
        jsm.addStream(StreamConfiguration.builder().name("WORK").subjects("work.>").build());
    }

    private static void publish(Connection nc, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            nc.jetStream().publish(NatsMessage.builder().subject("work.item")
                    .headers(new Headers().put("Nats-Msg-Id", "job-" + i)).data("job " + i).build());
        }
    }

    @Test
    void aHandlerThreeTimesLongerThanAckWaitIsNotRedelivered(Connection nc, JetStreamManagement jsm) throws Exception {
        stream(jsm);
        List<Long> deliveries = new CopyOnWriteArrayList<>();
        try (ConsumerRunner runner = ConsumerRunner.builder(nc, "WORK", ConsumerConfiguration.builder()
                        .durable("slow").ackWait(Duration.ofSeconds(1)).build())
                .handler(d -> {
                    deliveries.add(d.deliveryCount());
                    Thread.sleep(3_000); // the work itself takes 3 x ack_wait
                    return Outcome.ack();
                }).build()) {
            publish(nc, 1);
            Awaitility.await().atMost(WAIT).until(() -> runner.stats().acked() == 1);
            assertThat(runner.stats().heartbeats()).isGreaterThanOrEqualTo(4);
        }
        assertThat(deliveries).containsExactly(1L);
        assertThatConsumer(jsm, "WORK", "slow").isDrained().hasNumRedelivered(0).hasAckFloor(1);
    }

    /**
     * Ten messages for five handlers, each handler three times ack_wait: the five that wait for a free handler are
     * kept alive by heartbeats too (in 0.1 two to four of them were redelivered and handled twice).
     */
    @Test
    void messagesWaitingForAFreeHandlerAreNotRedelivered(Connection nc, JetStreamManagement jsm) throws Exception {
        stream(jsm);
        publish(nc, 10);
        Map<String, Integer> handled = new ConcurrentHashMap<>();
        try (ConsumerRunner runner = ConsumerRunner.builder(nc, "WORK", ConsumerConfiguration.builder()
                        .durable("slow5").ackWait(Duration.ofSeconds(1)).build())
                .concurrency(5).batchSize(10)
                .handler(d -> {
                    handled.merge(d.msgId(), 1, Integer::sum);
                    Thread.sleep(3_000); // 3 x ack_wait
                    return Outcome.ack();
                }).build()) {
            Awaitility.await().atMost(WAIT).until(() -> runner.stats().acked() == 10);
        }
        assertThat(handled).hasSize(10).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
        assertThatConsumer(jsm, "WORK", "slow5").isDrained().hasNumRedelivered(0);
    }

    @Test
    void drainOnCloseFinishesFetchedWorkAndLosesNothing(Connection nc, JetStreamManagement jsm) throws Exception {
        stream(jsm);
        publish(nc, 300);
        Map<String, Integer> handled = new ConcurrentHashMap<>();
        ConsumerConfiguration cc = ConsumerConfiguration.builder().durable("drain").ackWait(Duration.ofSeconds(30)).build();
        ConsumerRunner first = ConsumerRunner.builder(nc, "WORK", cc).concurrency(4).batchSize(20).handler(d -> {
            Thread.sleep(2); // some work
            handled.merge(d.msgId(), 1, Integer::sum);
            return Outcome.ack();
        }).build();
        Awaitility.await().atMost(WAIT).until(() -> handled.size() >= 50);
        first.close(); // mid-stream: stop fetching, finish what was fetched
        assertThat(first.stats().acked()).isEqualTo(handled.size());
        assertThatConsumer(jsm, "WORK", "drain").within(Duration.ofSeconds(5)).hasNumAckPending(0);

        try (ConsumerRunner second = ConsumerRunner.builder(nc, "WORK", cc).concurrency(4).handler(d -> {
            handled.merge(d.msgId(), 1, Integer::sum);
            return Outcome.ack();
        }).build()) {
            Awaitility.await().atMost(WAIT).until(() -> handled.size() == 300);
        }
        assertThat(handled.values()).allMatch(n -> n == 1);
        assertThatConsumer(jsm, "WORK", "drain").isDrained().hasAckFloor(300);
    }

    @Test
    void anIdempotentHandlerSeesEachMsgIdOnceUnderRedeliveries(Connection nc, JetStreamManagement jsm)
            throws Exception {
        stream(jsm);
        publish(nc, 100);
        IdempotencyStore store = IdempotencyStore.open(nc, "processed", Duration.ofHours(1));
        Map<String, Integer> seen = new ConcurrentHashMap<>();
        AtomicInteger naks = new AtomicInteger();
        MessageHandler handler = d -> {
            seen.merge(d.msgId(), 1, Integer::sum);
            return Outcome.ack();
        };
        // Every message is delivered to two consumers (a redelivery of the same Msg-Ids, as after moving a consumer
        // to a new system), and the first consumer's first delivery of each message is lost once (nak).
        try (ConsumerRunner a = ConsumerRunner.builder(nc, "WORK", ConsumerConfiguration.builder().durable("a").build())
                .idempotency(store).concurrency(2).handler(d -> {
                    if (d.deliveryCount() == 1 && Integer.parseInt(d.msgId().substring(4)) % 2 == 0) {
                        naks.incrementAndGet();
                        return Outcome.nak(Duration.ofMillis(20)); // redelivered before being processed
                    }
                    return handler.handle(d);
                }).build()) {
            Awaitility.await().atMost(WAIT).until(() -> a.stats().acked() == 100);
        }
        try (ConsumerRunner b = ConsumerRunner.builder(nc, "WORK", ConsumerConfiguration.builder().durable("b").build())
                .idempotency(store).handler(handler).build()) {
            Awaitility.await().atMost(WAIT).until(() -> b.stats().skippedAsSeen() == 100);
        }
        assertThat(naks.get()).isEqualTo(50);
        assertThat(seen).hasSize(100);
        assertThat(seen.values()).allMatch(n -> n == 1);
    }

    @Test
    void theConsumerIsCreatedIdempotentlyWithoutChurn(Connection nc, JetStreamManagement jsm) throws Exception {
        stream(jsm);
        ConsumerConfiguration cc = ConsumerConfiguration.builder().durable("stable").maxDeliver(5).build();
        try (ConsumerRunner r = ConsumerRunner.builder(nc, "WORK", cc).handler(d -> Outcome.ack()).build()) {
            publish(nc, 10);
            Awaitility.await().atMost(WAIT).until(() -> r.stats().acked() == 10);
        }
        var created = jsm.getConsumerInfo("WORK", "stable").getCreationTime();
        try (ConsumerRunner r = ConsumerRunner.builder(nc, "WORK", cc).handler(d -> Outcome.ack()).build()) {
            assertThat(jsm.getConsumerInfo("WORK", "stable").getCreationTime()).isEqualTo(created);
        }
        assertThatConsumer(jsm, "WORK", "stable").hasAckFloor(10);
    }

    @Test
    void badInputIsRefusedWithTypedErrors(Connection nc, JetStreamManagement jsm) throws Exception {
        ConsumerConfiguration cc = ConsumerConfiguration.builder().durable("c").build();
        assertThatThrownBy(() -> ConsumerRunner.builder(nc, "MISSING", cc).handler(d -> Outcome.ack()).build())
                .isInstanceOf(ConsumerPatternsException.class).hasMessageContaining("MISSING does not exist");
        assertThatThrownBy(() -> ConsumerRunner.builder(nc, "WORK", cc).build())
                .isInstanceOf(ConsumerPatternsException.class).hasMessageContaining("handler");
        assertThatThrownBy(() -> ConsumerRunner.builder(nc, "WORK", ConsumerConfiguration.builder().build())
                .handler(d -> Outcome.ack()).build()).hasMessageContaining("durable");
        assertThatThrownBy(() -> ConsumerRunner.builder(nc, "WORK", ConsumerConfiguration.builder().durable("x")
                .ackPolicy(AckPolicy.None).build()).handler(d -> Outcome.ack()).build())
                .hasMessageContaining("AckPolicy.Explicit");
        assertThatThrownBy(() -> ConsumerConfiguration.builder().durable("bad.name").build())
                .isInstanceOf(IllegalArgumentException.class); // jnats refuses invalid names itself
        assertThatThrownBy(() -> ConsumerRunner.builder(nc, "WORK", cc).concurrency(0)).hasMessageContaining("at least 1");
    }

    @Test
    void pauseResumeAndDrainForCutover(Connection nc, JetStreamManagement jsm) throws Exception {
        stream(jsm);
        jsm.addOrUpdateConsumer("WORK", ConsumerConfiguration.builder().durable("old").build());
        publish(nc, 5);
        ConsumerCutover.pause(nc, "WORK", "old", ZonedDateTime.now().plusMinutes(5));
        assertThatConsumer(jsm, "WORK", "old").isPaused();
        ConsumerCutover.resume(nc, "WORK", "old");
        assertThat(jsm.getConsumerInfo("WORK", "old").getPaused()).isFalse();

        assertThatThrownBy(() -> ConsumerCutover.awaitDrained(nc, "WORK", "old", Duration.ofMillis(200)))
                .isInstanceOf(DrainTimeoutException.class).hasMessageContaining("num_pending=5");
        try (ConsumerRunner r = ConsumerRunner.builder(nc, "WORK", ConsumerConfiguration.builder().durable("old").build())
                .handler(d -> Outcome.ack()).build()) {
            assertThat(ConsumerCutover.awaitDrained(nc, "WORK", "old", WAIT).getNumPending()).isZero();
        }
        assertThatThrownBy(() -> ConsumerCutover.pause(nc, "WORK", "ghost", ZonedDateTime.now().plusMinutes(1)))
                .isInstanceOf(ConsumerPatternsException.class).hasMessageContaining("does not exist");
    }

    @Test
    void pauseOnAServerOlderThan211IsRefused() throws Exception {
        try (NatsServer old = NatsServer.builder().binary(NatsServerBinary.legacy()).start();
             Connection nc = old.connect()) {
            assertThatThrownBy(() -> ConsumerCutover.pause(nc, "S", "c", ZonedDateTime.now().plusMinutes(1)))
                    .isInstanceOf(ServerTooOldException.class).hasMessageContaining("2.11.0");
        }
    }
}
