package io.natsmigrate.dualpublish;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.core.ApplyOptions;
import io.natsmigrate.core.CoreToJetStreamRecipe;
import io.natsmigrate.core.MigrationPlan;
import io.natsmigrate.core.MigrationRunner;
import io.natsmigrate.primitives.InvalidSubjectException;
import io.natsmigrate.reliable.RetryPolicy;
import io.natsmigrate.testkit.NatsServer;
import io.natsmigrate.testkit.StreamContents;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static io.natsmigrate.testkit.NatsAssertions.assertThatStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Cross-system dual publishing: legacy leg on one server ("old cluster"), JetStream leg on another. */
class DualPublisherTest {

    private static StreamConfiguration events() {
        return StreamConfiguration.builder().name("EVENTS").subjects("events.>").storageType(StorageType.File).build();
    }

    /** Collects the Msg-Ids the legacy subscribers received. */
    private static Set<String> legacySubscriber(Connection legacyNc) throws Exception {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        legacyNc.createDispatcher(m -> seen.add(m.getHeaders().getFirst("Nats-Msg-Id"))).subscribe("events.>");
        legacyNc.flush(Duration.ofSeconds(5));
        return seen;
    }

    @Test
    void dualModeSurvivesJetStreamServerKillsWithoutTouchingTheLegacyPath() throws Exception {
        try (NatsServer legacy = NatsServer.start(); NatsServer target = NatsServer.builder().syncInterval("always").start();
             Connection legacyNc = legacy.connect(); Connection jsNc = target.connect()) {
            jsNc.jetStreamManagement().addStream(events());
            Set<String> legacySeen = legacySubscriber(legacyNc);
            List<String> published = new ArrayList<>();
            try (DualPublisher p = DualPublisher.builder().legacy(LegacyLeg.nats(legacyNc)).jetStream(jsNc, "EVENTS")
                    .mode(PublishMode.DUAL).retryPolicy(RetryPolicy.builder().maxAttempts(200)
                            .attemptTimeout(Duration.ofSeconds(1)).deadline(Duration.ofSeconds(60)).build()).build()) {
                for (int i = 0; i < 3_000; i++) {
                    if (i == 1_000 || i == 2_000) {
                        target.kill();
                        target.restart();
                    }
                    published.add(p.publish("events.run", ("m" + i).getBytes()).msgId());
                }
                assertThat(p.flush(Duration.ofSeconds(60))).isTrue();
                // A restart slower than maxBlock fills the window: what found no slot was kept; it goes in again.
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
                    p.replay(Duration.ofSeconds(10));
                    return p.undelivered().isEmpty();
                });
            }
            legacyNc.flush(Duration.ofSeconds(5));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> legacySeen.size() == 3_000);
            assertThat(legacySeen).containsExactlyInAnyOrderElementsOf(published);
            Map<String, Integer> stored = StreamContents.countByMsgId(jsNc, "EVENTS");
            assertThat(stored.keySet()).containsExactlyInAnyOrderElementsOf(published);
            assertThat(stored.values()).allMatch(n -> n == 1);
        }
    }

    @Test
    void switchingModesUnderLoadLosesNothingAndStoresNothingTwice() throws Exception {
        try (NatsServer legacy = NatsServer.start(); NatsServer target = NatsServer.start();
             Connection legacyNc = legacy.connect(); Connection jsNc = target.connect()) {
            jsNc.jetStreamManagement().addStream(events());
            Set<String> legacySeen = legacySubscriber(legacyNc);
            Map<String, PublishMode> modeOf = new ConcurrentHashMap<>();
            try (DualPublisher p = DualPublisher.builder().legacy(LegacyLeg.nats(legacyNc)).jetStream(jsNc, "EVENTS")
                    .build()) {
                PublishMode[] sequence = {PublishMode.DUAL, PublishMode.JETSTREAM_ONLY, PublishMode.DUAL,
                        PublishMode.LEGACY_ONLY, PublishMode.DUAL};
                List<java.util.concurrent.CountDownLatch> switched = new ArrayList<>();
                for (int i = 0; i < sequence.length; i++) {
                    switched.add(new java.util.concurrent.CountDownLatch(1));
                }
                Thread switcher = new Thread(() -> {
                    for (int i = 0; i < sequence.length; i++) {
                        int threshold = (i + 1) * 800;
                        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1))
                                .until(() -> modeOf.size() >= threshold);
                        p.setMode(sequence[i]);
                        switched.get(i).countDown();
                    }
                });
                switcher.start();
                for (int i = 0; i < 5_000; i++) {
                    // The switch happens on another thread while publishing goes on; the publisher only makes sure
                    // it does not run past a whole mode before the switcher gets to it.
                    int k = i / 800 - 1;
                    if (i % 800 == 400 && k >= 0 && k < sequence.length) {
                        assertThat(switched.get(k).await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                    }
                    DualPublishResult r = p.publish("events.run", ("m" + i).getBytes());
                    modeOf.put(r.msgId(), r.mode());
                }
                switcher.join();
                assertThat(p.flush(Duration.ofSeconds(30))).isTrue();
            }
            Set<String> expectLegacy = new HashSet<>();
            Set<String> expectStored = new HashSet<>();
            modeOf.forEach((id, mode) -> {
                if (mode != PublishMode.JETSTREAM_ONLY) {
                    expectLegacy.add(id);
                }
                if (mode != PublishMode.LEGACY_ONLY) {
                    expectStored.add(id);
                }
            });
            assertThat(new HashSet<>(modeOf.values())).containsExactlyInAnyOrder(PublishMode.values());
            legacyNc.flush(Duration.ofSeconds(5));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> legacySeen.size() == expectLegacy.size());
            assertThat(legacySeen).isEqualTo(expectLegacy);
            Map<String, Integer> stored = StreamContents.countByMsgId(jsNc, "EVENTS");
            assertThat(stored.keySet()).isEqualTo(expectStored);
            assertThat(stored.values()).allMatch(n -> n == 1);
        }
    }

    @Test
    void aJetStreamOutageNeverBlocksTheLegacyPathAndWhatFailedIsKeptForReplay() throws Exception {
        try (NatsServer legacy = NatsServer.start(); NatsServer target = NatsServer.start();
             Connection legacyNc = legacy.connect(); Connection jsNc = target.connect()) {
            jsNc.jetStreamManagement().addStream(events());
            Set<String> legacySeen = legacySubscriber(legacyNc);
            List<UndeliveredMessage> reported = new java.util.concurrent.CopyOnWriteArrayList<>();
            try (DualPublisher p = DualPublisher.builder().legacy(LegacyLeg.nats(legacyNc)).jetStream(jsNc, "EVENTS")
                    .mode(PublishMode.DUAL).retryPolicy(RetryPolicy.builder().maxAttempts(3)
                            .attemptTimeout(Duration.ofMillis(200)).initialBackoff(Duration.ofMillis(10))
                            .deadline(Duration.ofSeconds(2)).build())
                    .listener(new DualPublishListener() {
                        @Override
                        public void jetStreamUndelivered(UndeliveredMessage message) {
                            reported.add(message);
                        }
                    }).build()) {
                p.publish("events.run", "warm".getBytes()).jetStream().get(5, TimeUnit.SECONDS);
                target.pause(); // JetStream hangs
                try {
                    for (int i = 0; i < 50; i++) {
                        p.publish("events.run", ("m" + i).getBytes()); // returns at once: legacy only waits
                    }
                    legacyNc.flush(Duration.ofSeconds(5));
                    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> legacySeen.size() == 51);
                    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> p.undelivered().size() == 50);
                    assertThat(reported).hasSize(50);
                } finally {
                    target.resume();
                }
                assertThat(p.replay(Duration.ofSeconds(20))).isEqualTo(50);
                assertThat(p.undelivered()).isEmpty();
            }
            Map<String, Integer> stored = StreamContents.countByMsgId(jsNc, "EVENTS");
            assertThat(stored).hasSize(51);
            assertThat(stored.values()).allMatch(n -> n == 1); // attempts that landed are deduplicated on replay
        }
    }

    @Test
    void aLegacyFailureReachesTheCallerAndNothingGoesToJetStream() throws Exception {
        try (NatsServer target = NatsServer.start(); Connection jsNc = target.connect()) {
            JetStreamManagement jsm = jsNc.jetStreamManagement();
            jsm.addStream(events());
            LegacyLeg broken = (subject, headers, data, msgId) -> {
                throw new IOException("AMQP channel closed");
            };
            try (DualPublisher p = DualPublisher.builder().legacy(broken).jetStream(jsNc, "EVENTS")
                    .mode(PublishMode.DUAL).build()) {
                assertThatThrownBy(() -> p.publish("events.run", new byte[0])).isInstanceOf(IOException.class)
                        .hasMessage("AMQP channel closed");
            }
            assertThatStream(jsm, "EVENTS").isEmpty();
        }
    }

    @Test
    void modeFollowsThePlanPhase() throws Exception {
        try (NatsServer server = NatsServer.start(); Connection nc = server.connect()) {
            MigrationPlan plan = CoreToJetStreamRecipe.named("events-plan")
                    .stream(StreamConfiguration.builder().name("EVENTS").subjects("events.>").maxMessages(10_000).build())
                    .consumer(ConsumerConfiguration.builder().durable("app").build()).build();
            List<String> changes = new java.util.concurrent.CopyOnWriteArrayList<>();
            try (MigrationRunner runner = plan.runner(nc).build();
                 DualPublisher p = DualPublisher.builder().legacy(LegacyLeg.nats(nc)).jetStream(nc, "EVENTS")
                         .followPlan(nc, "events-plan").listener(new DualPublishListener() {
                             @Override
                             public void modeChanged(PublishMode from, PublishMode to, String reason) {
                                 changes.add(to + " (" + reason + ")");
                             }
                         }).build()) {
                assertThat(p.mode()).isEqualTo(PublishMode.LEGACY_ONLY);
                assertThat(p.awaitMode(PublishMode.DUAL, Duration.ofMillis(200))).as("not yet").isFalse();
                runner.applyTo(CoreToJetStreamRecipe.DUAL_PUBLISH);
                assertThat(p.awaitMode(PublishMode.DUAL, Duration.ofSeconds(5))).isTrue();
                runner.applyTo(CoreToJetStreamRecipe.JETSTREAM_ONLY);
                assertThat(p.awaitMode(PublishMode.JETSTREAM_ONLY, Duration.ofSeconds(5))).isTrue();
                runner.rollbackTo(CoreToJetStreamRecipe.SHADOW);
                Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> p.mode() == PublishMode.DUAL);
                runner.rollbackToStart();
                Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> p.mode() == PublishMode.LEGACY_ONLY);
                assertThat(changes).first().asString().contains("plan phase dual-publish");
            }
        }
    }

    @Test
    void badConfigurationIsRefusedWithTypedErrors() throws Exception {
        try (NatsServer server = NatsServer.start(); Connection nc = server.connect()) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            assertThatThrownBy(() -> DualPublisher.builder().jetStream(nc, "EVENTS").build())
                    .isInstanceOf(DualPublishException.class).hasMessageContaining("legacy");
            assertThatThrownBy(() -> DualPublisher.builder().legacy(LegacyLeg.nats(nc)).build())
                    .isInstanceOf(DualPublishException.class).hasMessageContaining("jetStream(connection, stream)");
            // The stream does not exist yet: legacy-only works, switching to JetStream is refused.
            try (DualPublisher p = DualPublisher.builder().legacy(LegacyLeg.nats(nc)).jetStream(nc, "EVENTS").build()) {
                p.publish("events.a", new byte[0]);
                assertThatThrownBy(() -> p.setMode(PublishMode.JETSTREAM_ONLY))
                        .isInstanceOf(StreamNotCoveringSubjectException.class).hasMessageContaining("does not exist");
                assertThat(p.mode()).isEqualTo(PublishMode.LEGACY_ONLY);
            }
            assertThatThrownBy(() -> DualPublisher.builder().legacy(LegacyLeg.nats(nc)).jetStream(nc, "EVENTS")
                    .mode(PublishMode.DUAL).build()).isInstanceOf(StreamNotCoveringSubjectException.class);

            jsm.addStream(events());
            try (DualPublisher p = DualPublisher.builder().legacy(LegacyLeg.nats(nc)).jetStream(nc, "EVENTS")
                    .subjectMapping(s -> "elsewhere." + s).mode(PublishMode.DUAL).build()) {
                assertThatThrownBy(() -> p.publish("events.a", new byte[0]))
                        .isInstanceOf(StreamNotCoveringSubjectException.class).hasMessageContaining("elsewhere.events.a");
                assertThatThrownBy(() -> p.publish("events.*", new byte[0])).isInstanceOf(InvalidSubjectException.class);
            }
            Connection closed = server.connect();
            closed.close();
            assertThatThrownBy(() -> DualPublisher.builder().legacy(LegacyLeg.nats(closed)).jetStream(nc, "EVENTS").build())
                    .isInstanceOf(DualPublishException.class).hasMessageContaining("closed");
            assertThatThrownBy(() -> DualPublisher.builder().maxBlock(Duration.ofMillis(-1))).hasMessageContaining("negative");
        }
    }
}
