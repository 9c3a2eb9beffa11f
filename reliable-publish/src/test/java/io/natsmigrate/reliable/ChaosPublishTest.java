package io.natsmigrate.reliable;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.testkit.NatsServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
    static final int[] KILL_AT_ACKS = {4_000, 9_000, 14_000};

    @Test
    void everyMessageStoredExactlyOnceThroughThreeKills() throws Exception {
        try (NatsServer server = NatsServer.builder().syncInterval("always").start();
             Connection nc = server.connect()) {
            nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("CHAOS").subjects("chaos.>")
                    .storageType(StorageType.File).build());
            AtomicInteger acked = new AtomicInteger();
            ChaosMonkey monkey = new ChaosMonkey(server, acked, KILL_AT_ACKS);
            monkey.start();

            List<CompletableFuture<PublishAck>> futures = new ArrayList<>(MESSAGES);
            try (ReliablePublisher publisher = ReliablePublisher.builder(nc).maxInFlight(1000)
                    .retryPolicy(RetryPolicy.builder().maxAttempts(100).attemptTimeout(Duration.ofSeconds(1))
                            .deadline(Duration.ofSeconds(90)).build())
                    .build()) {
                for (int i = 0; i < MESSAGES; i++) {
                    futures.add(publisher.publishAsync("chaos.events", ("m" + i).getBytes())
                            .whenComplete((a, e) -> acked.incrementAndGet()));
                }
                CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
                monkey.join();
                assertThat(monkey.kills()).isEqualTo(KILL_AT_ACKS.length);
                assertThat(publisher.stats().failed()).isZero();
                System.out.println("chaos: " + publisher.stats());
            }

            JetStreamManagement jsm = nc.jetStreamManagement();
            assertThatStream(jsm, "CHAOS").hasMessages(MESSAGES);
            Map<String, Integer> perMsgId = countMsgIds(nc, "CHAOS", MESSAGES);
            assertThat(perMsgId).hasSize(MESSAGES);
            assertThat(perMsgId.values()).allMatch(n -> n == 1);
        }
    }

    /** Reads the whole stream once and counts each Nats-Msg-Id. */
    static Map<String, Integer> countMsgIds(Connection nc, String stream, int expected) throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        JetStreamSubscription sub = nc.jetStream().subscribe(null, PullSubscribeOptions.builder().stream(stream)
                .configuration(ConsumerConfiguration.builder().ackPolicy(AckPolicy.None).build()).build());
        int read = 0;
        while (read < expected) {
            List<Message> batch = sub.fetch(1000, Duration.ofSeconds(2));
            if (batch.isEmpty()) {
                break;
            }
            for (Message m : batch) {
                counts.merge(m.getHeaders().getFirst("Nats-Msg-Id"), 1, Integer::sum);
                read++;
            }
        }
        sub.unsubscribe();
        return counts;
    }

    /** Kills the server with SIGKILL and restarts it each time the ack count passes a threshold. */
    static final class ChaosMonkey extends Thread {
        private final NatsServer server;
        private final AtomicInteger acked;
        private final int[] thresholds;
        private volatile int kills;

        ChaosMonkey(NatsServer server, AtomicInteger acked, int[] thresholds) {
            super("chaos-monkey");
            setDaemon(true);
            this.server = server;
            this.acked = acked;
            this.thresholds = thresholds;
        }

        int kills() {
            return kills;
        }

        @Override
        public void run() {
            for (int threshold : thresholds) {
                while (acked.get() < threshold) {
                    Thread.onSpinWait();
                }
                server.kill();
                kills++;
                server.restart();
            }
        }
    }
}
