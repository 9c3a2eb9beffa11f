package io.natsmigrate.consumer;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.natsmigrate.testkit.NatsTest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static io.natsmigrate.testkit.NatsAssertions.assertThatStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@NatsTest
class DeadLetterQueueTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private static void orders(JetStreamManagement jsm, RetentionPolicy retention) throws Exception {
        jsm.addStream(StreamConfiguration.builder().name("ORDERS").subjects("orders.>").retentionPolicy(retention)
                .build());
    }

    private static void publishOrder(Connection nc, String id) throws Exception {
        nc.jetStream().publish(NatsMessage.builder().subject("orders.created")
                .headers(new Headers().put("Nats-Msg-Id", id).put("X-Tenant", "acme")).data("order " + id).build());
    }

    static ConsumerConfiguration billing(int maxDeliver) {
        return ConsumerConfiguration.builder().durable("billing").maxDeliver(maxDeliver)
                .ackWait(Duration.ofSeconds(5)).build();
    }

    @Test
    void aPoisonMessageReachesTheDlqWithFullMetadataAfterMaxDeliveries(Connection nc, JetStreamManagement jsm)
            throws Exception {
        orders(jsm, RetentionPolicy.Limits);
        try (DeadLetterQueue dlq = DeadLetterQueue.builder(nc).watch("ORDERS").build().start();
             ConsumerRunner runner = ConsumerRunner.builder(nc, "ORDERS", billing(3))
                     .handler(d -> Outcome.nak(Duration.ofMillis(10))).build()) {
            publishOrder(nc, "o-1");
            Awaitility.await().atMost(WAIT).until(() -> dlq.deadLetters().size() == 1);
            DeadLetter d = dlq.deadLetters().get(0);
            assertThat(d.stream()).isEqualTo("ORDERS");
            assertThat(d.subject()).isEqualTo("orders.created");
            assertThat(d.sequence()).isEqualTo(1);
            assertThat(d.consumer()).isEqualTo("billing");
            assertThat(d.deliveries()).isEqualTo(3);
            assertThat(d.reason()).isEqualTo("max_deliveries");
            assertThat(d.originalMissing()).isFalse();
            assertThat(new String(d.data())).isEqualTo("order o-1");
            assertThat(d.headers().getFirst("X-Tenant")).isEqualTo("acme");
            assertThat(d.headers().getFirst(DeadLetter.ORIGINAL_MSG_ID)).isEqualTo("o-1");
            // Both times in one format, the one Instant.parse reads (0.1 wrote a zone suffix on one of them).
            java.time.Instant stored = java.time.Instant.parse(d.headers().getFirst(DeadLetter.ORIGINAL_TIME));
            java.time.Instant failed = java.time.Instant.parse(d.headers().getFirst(DeadLetter.FAILED_TIME));
            assertThat(failed).isAfterOrEqualTo(stored);
        }
    }

    @Test
    void aTerminatedMessageCarriesItsReason(Connection nc, JetStreamManagement jsm) throws Exception {
        orders(jsm, RetentionPolicy.Limits);
        try (DeadLetterQueue dlq = DeadLetterQueue.builder(nc).watch("ORDERS", "billing").build().start();
             ConsumerRunner runner = ConsumerRunner.builder(nc, "ORDERS", billing(5))
                     .handler(d -> Outcome.term("unknown customer")).build()) {
            publishOrder(nc, "o-2");
            Awaitility.await().atMost(WAIT).until(() -> dlq.deadLetters().size() == 1);
            DeadLetter d = dlq.deadLetters().get(0);
            assertThat(d.reason()).isEqualTo("terminated");
            assertThat(d.termReason()).isEqualTo("unknown customer");
            assertThat(d.deliveries()).isEqualTo(1);
        }
    }

    @Test
    void advisoriesAreKeptWhileTheDlqProcessIsDownAndProcessedOnceWhenItStarts(Connection nc, JetStreamManagement jsm)
            throws Exception {
        orders(jsm, RetentionPolicy.Limits);
        DeadLetterQueue notRunning = DeadLetterQueue.builder(nc).watch("ORDERS").build(); // provisioned, not started
        try (ConsumerRunner runner = ConsumerRunner.builder(nc, "ORDERS", billing(5))
                .handler(d -> Outcome.term("bad")).build()) {
            publishOrder(nc, "o-3");
            assertThatStream(jsm, "DLQ_ADVISORIES").within(WAIT).hasMessages(1);
        }
        assertThatStream(jsm, "DLQ").isEmpty();
        try (DeadLetterQueue dlq = notRunning.start()) {
            Awaitility.await().atMost(WAIT).until(() -> dlq.deadLetters().size() == 1);
            // The same advisory processed again (a redelivery after a crash) stores no second dead letter.
            byte[] body = jsm.getMessage("DLQ_ADVISORIES", 1).getData();
            dlq.process("again", body);
            dlq.process("again", body);
            assertThat(dlq.deadLetters()).hasSize(1);
        }
    }

    @Test
    void anOriginalThatIsAlreadyGoneGivesAMarkedDeadLetter(Connection nc, JetStreamManagement jsm) throws Exception {
        orders(jsm, RetentionPolicy.WorkQueue); // AckTerm removes the message from a work-queue stream
        List<String> missing = new java.util.concurrent.CopyOnWriteArrayList<>();
        io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        DeadLetterMetrics metrics = new DeadLetterMetrics("DLQ");
        metrics.bindTo(registry);
        try (DeadLetterQueue dlq = DeadLetterQueue.builder(nc).watch("ORDERS").listener(metrics).listener(new DeadLetterListener() {
            @Override
            public void originalMissing(String stream, long sequence) {
                missing.add(stream + ":" + sequence);
            }
        }).build().start();
             ConsumerRunner runner = ConsumerRunner.builder(nc, "ORDERS", ConsumerConfiguration.builder(billing(5))
                             .filterSubject("orders.created").build())
                     .handler(d -> Outcome.term("gone")).build()) {
            publishOrder(nc, "o-4");
            Awaitility.await().atMost(WAIT).until(() -> dlq.deadLetters().size() == 1);
            DeadLetter d = dlq.deadLetters().get(0);
            assertThat(d.originalMissing()).isTrue();
            assertThat(d.sequence()).isEqualTo(1);
            assertThat(d.termReason()).isEqualTo("gone");
            assertThat(d.data()).isEmpty();
            // The original is gone, but its subject is known from the consumer's one literal filter.
            assertThat(d.subject()).isEqualTo("orders.created");
            assertThat(missing).containsExactly("ORDERS:1");
            assertThat(registry.get("natsmigrate.dlq.events").tag("event", "written").counter().count()).isEqualTo(1);
            assertThat(registry.get("natsmigrate.dlq.events").tag("event", "original_missing").counter().count())
                    .isEqualTo(1);
            assertThat(dlq.redrive(RedriveRequest.builder().build()).skippedMissingOriginal()).isEqualTo(1);
        }
    }

    @Test
    void redriveDeliversAgainToTheOriginalConsumerAndDeadLetteringAgainDoesNotGrowHeaders(Connection nc,
            JetStreamManagement jsm) throws Exception {
        orders(jsm, RetentionPolicy.Limits);
        Set<String> handled = ConcurrentHashMap.newKeySet();
        boolean[] healthy = {false};
        try (DeadLetterQueue dlq = DeadLetterQueue.builder(nc).watch("ORDERS").build().start();
             ConsumerRunner runner = ConsumerRunner.builder(nc, "ORDERS", billing(2)).handler(d -> {
                 if (!healthy[0]) {
                     return Outcome.nak(Duration.ofMillis(10));
                 }
                 handled.add(new String(d.message().getData()));
                 return Outcome.ack();
             }).build()) {
            publishOrder(nc, "o-5");
            Awaitility.await().atMost(WAIT).until(() -> dlq.deadLetters().size() == 1);
            int headerCount = dlq.deadLetters().get(0).headers().size();

            // Still broken: redriven, it dies again; the new dead letter replaces the metadata, no growth.
            RedriveResult first = dlq.redrive(RedriveRequest.builder().stream("ORDERS").consumer("billing").build());
            assertThat(first.redriven()).isEqualTo(1);
            Awaitility.await().atMost(WAIT).until(() -> dlq.deadLetters().size() == 1
                    && dlq.deadLetters().get(0).sequence() == 2);
            DeadLetter again = dlq.deadLetters().get(0);
            assertThat(again.headers().size()).isLessThanOrEqualTo(headerCount + 1); // + DLQ-Redriven trail at most
            assertThat(again.headers().getFirst(DeadLetter.ORIGINAL_MSG_ID)).isEqualTo("o-5");

            healthy[0] = true; // the bug is fixed: redrive delivers to the original consumer
            assertThat(dlq.redrive(RedriveRequest.builder().ratePerSecond(10).build()).redriven()).isEqualTo(1);
            Awaitility.await().atMost(WAIT).until(() -> handled.contains("order o-5"));
            assertThat(dlq.deadLetters()).isEmpty();
        }
    }

    @Test
    void startAfterCloseIsRefusedWithAClearMessage(Connection nc, JetStreamManagement jsm) throws Exception {
        orders(jsm, RetentionPolicy.Limits);
        DeadLetterQueue dlq = DeadLetterQueue.builder(nc).watch("ORDERS").build().start();
        assertThat(dlq.start()).isSameAs(dlq); // starting again while running: nothing happens
        dlq.close();
        assertThatThrownBy(dlq::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed")
                .hasMessageContaining("build a new one");
    }

    @Test
    void badConfigurationIsRefused(Connection nc, JetStreamManagement jsm) throws Exception {
        assertThatThrownBy(() -> DeadLetterQueue.builder(nc).replicas(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("replicas");
        assertThatThrownBy(() -> DeadLetterQueue.builder(nc).processorAckWait(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("processorAckWait");
        assertThatThrownBy(() -> DeadLetterQueue.builder(nc).build()).isInstanceOf(ConsumerPatternsException.class)
                .hasMessageContaining("watch");
        assertThatThrownBy(() -> DeadLetterQueue.builder(nc).watch("MISSING").build())
                .isInstanceOf(ConsumerPatternsException.class).hasMessageContaining("MISSING does not exist");
        assertThatThrownBy(() -> DeadLetterQueue.builder(nc).watch("bad.name"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid");
        orders(jsm, RetentionPolicy.Limits);
        jsm.addStream(StreamConfiguration.builder().name("DLQ").subjects("dlq.>")
                .retentionPolicy(RetentionPolicy.WorkQueue).build());
        assertThatThrownBy(() -> DeadLetterQueue.builder(nc).watch("ORDERS").build())
                .isInstanceOf(ConsumerPatternsException.class).hasMessageContaining("conflicting")
                .hasMessageContaining("retention workqueue");
    }
}
