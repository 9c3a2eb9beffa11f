package io.natsmigrate.reliable;

import io.nats.client.Connection;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.testkit.KillSchedule;
import io.natsmigrate.testkit.NatsCluster;
import io.natsmigrate.testkit.StreamContents;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

import static io.natsmigrate.testkit.NatsAssertions.assertThatStream;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Production topology: an R3 stream on the testkit's 3-node cluster, 20,000 messages through a publisher with the
 * default retry policy plus only a deadline, while the stream's leader is SIGKILLed and restarted three times back to
 * back, as a rolling restart would. Every message is stored exactly once and none fails. With the 0.1 default
 * (10 attempts, about 9 s) some messages failed with "no responders" inside one election.
 *
 * <p>Runs {@code natsmigrate.repeat} times (default 1; the closing note of issue 11 reports 5 in a row).
 */
class ClusterChaosPublishTest {

    static final int MESSAGES = 20_000;
    /** Publish pace: the three elections land in the middle of the run rather than after it. */
    static final int PER_SECOND = 1_000;
    private static final int RUNS = Integer.getInteger("natsmigrate.repeat", 1);

    static IntStream runs() {
        return IntStream.rangeClosed(1, RUNS);
    }

    @ParameterizedTest(name = "run {0}")
    @MethodSource("runs")
    void everyMessageStoredExactlyOnceThroughThreeBackToBackLeaderKills(int run) throws Exception {
        try (NatsCluster cluster = NatsCluster.builder().start(); Connection nc = cluster.connect()) {
            nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("CHAOS").subjects("chaos.>")
                    .storageType(StorageType.File).replicas(3).build());
            cluster.awaitStreamReady("CHAOS");
            AtomicInteger acked = new AtomicInteger();
            ConcurrentLinkedQueue<Long> ackTimes = new ConcurrentLinkedQueue<>();
            List<CompletableFuture<PublishAck>> futures = new ArrayList<>(MESSAGES);
            KillSchedule chaos;
            try (ReliablePublisher publisher = ReliablePublisher.builder(nc)
                    .retryPolicy(RetryPolicy.builder().deadline(Duration.ofSeconds(60)).build())
                    .build()) {
                // Three kills one right after the other, each once the previous node is back and caught up.
                chaos = KillSchedule.onStreamLeader(cluster, "CHAOS", acked::get, Duration.ofSeconds(60),
                        2_000, 2_000, 2_000);
                long interval = TimeUnit.SECONDS.toNanos(1) / PER_SECOND;
                long due = System.nanoTime();
                for (int i = 0; i < MESSAGES; i++) {
                    futures.add(publisher.publishAsync("chaos.events", ("m" + i).getBytes())
                            .whenComplete((a, e) -> {
                                ackTimes.add(System.nanoTime());
                                acked.incrementAndGet();
                            }));
                    due += interval;
                    LockSupport.parkNanos(due - System.nanoTime());
                }
                CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
                chaos.await();
                System.out.println("cluster chaos run " + run + ": " + publisher.stats() + "; stall after each kill "
                        + stalls(chaos.killTimes(), ackTimes) + " ms");
                assertThat(chaos.kills()).isEqualTo(3);
                assertThat(futures).allSatisfy(f -> assertThat(f).isCompleted().isNotCompletedExceptionally());
                assertThat(publisher.stats().failed()).isZero();
            }

            assertThatStream(nc.jetStreamManagement(), "CHAOS").within(Duration.ofSeconds(10)).hasMessages(MESSAGES);
            Map<String, Integer> perMsgId = StreamContents.countByMsgId(nc, "CHAOS");
            assertThat(perMsgId).hasSize(MESSAGES);
            assertThat(perMsgId.values()).allMatch(n -> n == 1);
        }
    }

    /** For each kill, the time to the first ack after it, in ms. */
    static List<Long> stalls(List<Long> killTimes, ConcurrentLinkedQueue<Long> ackTimes) {
        List<Long> acks = new ArrayList<>(ackTimes);
        Collections.sort(acks);
        List<Long> out = new ArrayList<>();
        for (long k : killTimes) {
            acks.stream().filter(t -> t > k).findFirst()
                    .ifPresent(t -> out.add(TimeUnit.NANOSECONDS.toMillis(t - k)));
        }
        return out;
    }
}
