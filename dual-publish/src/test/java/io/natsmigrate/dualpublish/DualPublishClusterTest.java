package io.natsmigrate.dualpublish;

import io.nats.client.Connection;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.reliable.RetryPolicy;
import io.natsmigrate.testkit.KillSchedule;
import io.natsmigrate.testkit.NatsCluster;
import io.natsmigrate.testkit.NatsServer;
import io.natsmigrate.testkit.StreamContents;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dual publishing while the target stream (R3 on the testkit's 3-node cluster) loses its leader three times back to
 * back: the legacy path (its own server) gets every message, the caller is held at most the configured
 * {@code maxBlock} at a time, and after replaying what the JetStream leg kept, the stream holds every message once;
 * the parity verifier, running throughout, finds nothing missing or doubled.
 */
class DualPublishClusterTest {

    static final int MESSAGES = 20_000;
    static final int PER_SECOND = 1_000;

    @Test
    void everyMessageOnBothPathsOnceThroughThreeLeaderElections() throws Exception {
        try (NatsServer legacy = NatsServer.start(); NatsCluster cluster = NatsCluster.builder().start();
             Connection legacyNc = legacy.connect(); Connection jsNc = cluster.connect()) {
            jsNc.jetStreamManagement().addStream(StreamConfiguration.builder().name("EVENTS").subjects("events.>")
                    .storageType(StorageType.File).replicas(3).build());
            cluster.awaitStreamReady("EVENTS");
            Set<String> legacySeen = ConcurrentHashMap.newKeySet();
            legacyNc.createDispatcher(m -> legacySeen.add(m.getHeaders().getFirst("Nats-Msg-Id")))
                    .subscribe("events.>");
            legacyNc.flush(Duration.ofSeconds(5));
            Set<String> published = ConcurrentHashMap.newKeySet();
            AtomicLong count = new AtomicLong();
            long longestCall = 0;
            try (ParityVerifier verifier = ParityVerifier.builder().legacy(legacyNc, "events.>")
                    .jetStream(jsNc, "EVENTS").window(Duration.ofSeconds(90)).build();
                 DualPublisher p = DualPublisher.builder().legacy(LegacyLeg.nats(legacyNc)).jetStream(jsNc, "EVENTS")
                         .mode(PublishMode.DUAL).retryPolicy(RetryPolicy.builder().deadline(Duration.ofSeconds(60))
                                 .build()).build();
                 KillSchedule chaos = KillSchedule.onStreamLeader(cluster, "EVENTS", count::get,
                         Duration.ofSeconds(60), 2_000, 2_000, 2_000)) {
                long interval = TimeUnit.SECONDS.toNanos(1) / PER_SECOND;
                long due = System.nanoTime();
                for (int i = 0; i < MESSAGES; i++) {
                    long start = System.nanoTime();
                    published.add(p.publish("events.run", ("m" + i).getBytes()).msgId());
                    longestCall = Math.max(longestCall, System.nanoTime() - start);
                    count.incrementAndGet();
                    due += interval;
                    LockSupport.parkNanos(due - System.nanoTime());
                }
                chaos.await();
                assertThat(chaos.kills()).isEqualTo(3);
                assertThat(p.flush(Duration.ofSeconds(90))).isTrue();
                int kept = p.undelivered().size();
                // What the JetStream leg kept during the elections goes in again, with the same Msg-Ids.
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
                    p.replay(Duration.ofSeconds(10));
                    return p.undelivered().isEmpty();
                });
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> legacySeen.size() == MESSAGES);
                Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                        .until(() -> StreamContents.countByMsgId(jsNc, "EVENTS").size() == MESSAGES);
                // Settling counts a copy still on its way as missing; when it arrives it is matched late instead.
                ParityReport report = Awaitility.await().atMost(Duration.ofSeconds(60))
                        .until(verifier::settleNow, r -> r.matched() == MESSAGES);
                System.out.printf("dual publish through 3 leader elections: kept for replay %d, longest publish call"
                        + " %d ms; %s%n", kept, TimeUnit.NANOSECONDS.toMillis(longestCall), report.toText());
                assertThat(report.missingInJetStream()).isZero();
                assertThat(report.missingInLegacy()).isZero();
                assertThat(report.duplicatesJetStream()).isZero();
                assertThat(report.duplicatesLegacy()).isZero();
            }
            assertThat(legacySeen).containsExactlyInAnyOrderElementsOf(published);
            Map<String, Integer> stored = StreamContents.countByMsgId(jsNc, "EVENTS");
            assertThat(stored.keySet()).containsExactlyInAnyOrderElementsOf(published);
            assertThat(stored.values()).allMatch(n -> n == 1);
        }
    }
}
