package io.natsmigrate.testkit;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class MigrationTrafficTest {

    private static void provision(Connection nc) throws Exception {
        JetStreamManagement jsm = nc.jetStreamManagement();
        jsm.addStream(StreamConfiguration.builder().name("T").subjects("t.>").build());
        jsm.addOrUpdateConsumer("T", ConsumerConfiguration.builder().durable("IN").filterSubject("t.in").build());
        jsm.addOrUpdateConsumer("T", ConsumerConfiguration.builder().durable("OUT").filterSubject("t.out").build());
    }

    @Test
    void ledgerFollowsPublishersAndServicesAcrossAMove() throws Exception {
        try (NatsServer a = NatsServer.start(); NatsServer b = NatsServer.start();
             Connection oldNc = a.connect(); Connection newNc = b.connect()) {
            provision(oldNc);
            provision(newNc);
            try (MigrationTraffic traffic = MigrationTraffic.on(oldNc).publisher("t.in", "in")
                    .relay("T", "IN", "t.out", id -> id.replace("in", "out")).service("T", "OUT").start()) {
                await().atMost(Duration.ofSeconds(10)).until(() -> traffic.processed("OUT") > 50);
                traffic.movePublishersTo(newNc);
                // Everything left on the old system is processed there before the services follow.
                await().atMost(Duration.ofSeconds(10)).until(() -> traffic.publishedOn(newNc) > 0
                        && traffic.publishedOn(oldNc) == traffic.processed("IN") + traffic.processed("OUT"));
                traffic.moveServicesTo(newNc);
                await().atMost(Duration.ofSeconds(10)).until(() -> traffic.processedAfterMove("OUT") > 50);
                traffic.stopPublishing();
                await().atMost(Duration.ofSeconds(10)).until(() -> traffic.unprocessed() == 0);

                assertThat(traffic.duplicates()).isZero();
                assertThat(traffic.distinctProcessed()).isEqualTo(traffic.published());
                assertThat(traffic.published("in") + traffic.published("out")).isEqualTo(traffic.published());
                assertThat(traffic.published("out")).isEqualTo(traffic.published("in")); // one follow-up each
                assertThat(traffic.publishedOn(oldNc) + traffic.publishedOn(newNc)).isEqualTo(traffic.published());
                assertThat(traffic.processedBeforeMove() + traffic.processedAfterMove())
                        .isEqualTo(traffic.published());
                assertThat(traffic.processedBeforeMove()).isPositive();
                assertThat(traffic.progress()).contains("waiting 0");
            }
        }
    }

    @Test
    void badArgumentsAreRefused() throws Exception {
        try (NatsServer s = NatsServer.start(); Connection nc = s.connect()) {
            assertThatThrownBy(() -> MigrationTraffic.on(null)).isInstanceOf(NullPointerException.class)
                    .hasMessage("oldSystem");
            assertThatThrownBy(() -> MigrationTraffic.on(nc).rate(0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rate");
            assertThatThrownBy(() -> MigrationTraffic.on(nc).publishers("t.in", "in", 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("count");
            try (MigrationTraffic traffic = MigrationTraffic.on(nc).start()) {
                assertThatThrownBy(() -> traffic.hold("NOPE")).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("No service on consumer NOPE");
            }
            assertThatThrownBy(() -> MigrationTraffic.on(nc).relay("T", "C", "s", null))
                    .isInstanceOf(NullPointerException.class).hasMessage("nextId");
        }
    }

    @Test
    void publishersOnTheirOwnConnectionsAndAHeldServicePositionedByTheTest() throws Exception {
        try (NatsServer a = NatsServer.start(); Connection nc = a.connect()) {
            provision(nc);
            try (MigrationTraffic traffic = MigrationTraffic.on(nc).publishers("t.in", "in", 3).rate(200)
                    .service("T", "IN").start()) {
                traffic.hold("IN");
                // The service may have processed messages before it came to rest; held, its count stays.
                long processedBeforeHold = traffic.processed("IN");
                await().atMost(Duration.ofSeconds(10)).until(() -> traffic.published() > 60);
                // Three extra connections besides the shared one: one per publisher.
                assertThat(a.monitor("connz")).contains("traffic-publisher");

                long before = nc.jetStreamManagement().getConsumerInfo("T", "IN").getAckFloor().getStreamSequence();
                long bound = before + 21;
                long done = traffic.processBefore("IN", bound);
                assertThat(done).isPositive();
                // The consumer stops right before the bound: the message at the bound is its next one.
                assertThat(nc.jetStreamManagement().getConsumerInfo("T", "IN").getAckFloor().getStreamSequence())
                        .isLessThan(bound).isGreaterThanOrEqualTo(before + done);
                assertThat(traffic.processed("IN")).isEqualTo(processedBeforeHold + done);

                traffic.release("IN");
                traffic.stopPublishing();
                // Counted once the publishers stopped: they publish concurrently with any reading.
                assertThat(traffic.published("in-1") + traffic.published("in-2") + traffic.published("in-3"))
                        .isEqualTo(traffic.published());
                assertThat(traffic.published("in-1")).isPositive();
                assertThat(traffic.published("in-3")).isPositive();
                await().atMost(Duration.ofSeconds(10)).until(() -> traffic.unprocessed() == 0);
                assertThat(traffic.duplicates("IN")).isZero();
            }
        }
    }

    @Test
    void servicesFollowTheirConsumersAndSkipWhatTheirIdempotencyBucketHolds() throws Exception {
        try (NatsServer a = NatsServer.start(); NatsServer b = NatsServer.start();
             Connection oldNc = a.connect(); Connection newNc = b.connect()) {
            provision(oldNc);
            newNc.jetStreamManagement().addStream(StreamConfiguration.builder().name("T").subjects("t.>").build());
            newNc.keyValueManagement().create(io.nats.client.api.KeyValueConfiguration.builder().name("seen_T_IN")
                    .build());
            try (MigrationTraffic traffic = MigrationTraffic.on(oldNc).publisher("t.in", "in")
                    .service("T", "IN").idempotency((s, c) -> "seen_" + s + "_" + c, id -> "k-" + id).start()) {
                traffic.followConsumersTo(newNc);
                await().atMost(Duration.ofSeconds(10)).until(() -> traffic.processed("IN") > 20);
                traffic.movePublishersTo(newNc);
                await().atMost(Duration.ofSeconds(10)).until(() -> traffic.publishedOn(newNc) > 5);
                traffic.stopPublishing();
                // in-1 was processed on the old side; record it as seen on the new one and publish it there again.
                newNc.keyValue("seen_T_IN").put("k-in-1", new byte[0]);
                newNc.jetStream().publish("t.in", "in-1".getBytes());
                // What the old system took is processed there; what the new one took waits for its consumer.
                await().atMost(Duration.ofSeconds(10)).until(() -> traffic.unprocessed() == traffic.publishedOn(newNc));
                assertThat(traffic.processedAfterMove("IN")).isZero();

                newNc.jetStreamManagement().addOrUpdateConsumer("T", ConsumerConfiguration.builder().durable("IN")
                        .filterSubject("t.in").build());
                await().atMost(Duration.ofSeconds(10)).until(() -> traffic.skipped("IN") == 1
                        && traffic.processedAfterMove("IN") == traffic.publishedOn(newNc));
                assertThat(traffic.duplicates()).isZero();
                // Processed on the new side means recorded in the bucket.
                assertThat(newNc.keyValue("seen_T_IN").keys()).hasSize((int) traffic.publishedOn(newNc) + 1);
            }
        }
    }
}
