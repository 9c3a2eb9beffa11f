package io.natsmigrate.reliable;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.testkit.KillSchedule;
import io.natsmigrate.testkit.NatsServer;
import io.natsmigrate.testkit.StreamContents;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static io.natsmigrate.testkit.NatsAssertions.assertThatStream;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The publisher's reason to exist: 20,000 messages through three SIGKILLs and restarts of the server, and the
 * stream ends with each message exactly once.
 */
class ChaosPublishTest {

    static final int MESSAGES = 20_000;
    static final long[] KILL_AT_ACKS = {4_000, 9_000, 14_000};

    @Test
    void everyMessageStoredExactlyOnceThroughThreeKills() throws Exception {
        try (NatsServer server = NatsServer.builder().syncInterval("always").start();
             Connection nc = server.connect()) {
            nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("CHAOS").subjects("chaos.>")
                    .storageType(StorageType.File).build());
            AtomicInteger acked = new AtomicInteger();
            List<CompletableFuture<PublishAck>> futures = new ArrayList<>(MESSAGES);
            try (KillSchedule chaos = KillSchedule.start(server, acked::get, Duration.ofSeconds(60), KILL_AT_ACKS);
                 ReliablePublisher publisher = ReliablePublisher.builder(nc).maxInFlight(1000)
                    .retryPolicy(RetryPolicy.builder().maxAttempts(100).attemptTimeout(Duration.ofSeconds(1))
                            .deadline(Duration.ofSeconds(90)).build())
                    .build()) {
                for (int i = 0; i < MESSAGES; i++) {
                    futures.add(publisher.publishAsync("chaos.events", ("m" + i).getBytes())
                            .whenComplete((a, e) -> acked.incrementAndGet()));
                }
                CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
                chaos.await();
                assertThat(chaos.kills()).isEqualTo(KILL_AT_ACKS.length);
                assertThat(publisher.stats().failed()).isZero();
                System.out.println("chaos: " + publisher.stats());
            }

            JetStreamManagement jsm = nc.jetStreamManagement();
            assertThatStream(jsm, "CHAOS").hasMessages(MESSAGES);
            Map<String, Integer> perMsgId = StreamContents.countByMsgId(nc, "CHAOS");
            assertThat(perMsgId).hasSize(MESSAGES);
            assertThat(perMsgId.values()).allMatch(n -> n == 1);
        }
    }
}
