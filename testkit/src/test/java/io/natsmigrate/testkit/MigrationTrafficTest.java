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
            assertThatThrownBy(() -> MigrationTraffic.on(nc).pace(Duration.ofMillis(-1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pace");
            assertThatThrownBy(() -> MigrationTraffic.on(nc).relay("T", "C", "s", null))
                    .isInstanceOf(NullPointerException.class).hasMessage("nextId");
        }
    }
}
