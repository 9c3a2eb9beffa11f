package io.natsmigrate.bench;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.reliable.ReliablePublisher;
import io.natsmigrate.reliable.RetryPolicy;
import io.natsmigrate.testkit.KillSchedule;
import io.natsmigrate.testkit.NatsServer;
import io.natsmigrate.testkit.StreamContents;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * 20,000 messages while the server (sync_interval: always) is SIGKILLed and restarted three times: the reliable
 * publisher against a hand-written jnats publishAsync loop (window 1,000, no Msg-Id) that re-sends whatever
 * failed (the common "retry loop", which stores duplicates) and the same loop without retries (which loses). Reports messages stored exactly once, and prints
 * what each side lost and duplicated.
 */
final class ChaosControlBenchmark {

    private static final int MESSAGES = 20_000;
    private static final long[] KILL_AT = {4_000, 9_000, 14_000};

    BenchResult run() throws Exception {
        Outcome ours = runOnce(true, 0);
        Outcome plain = runOnce(false, 100);
        Outcome noRetry = runOnce(false, 0);
        System.out.printf("CHAOS ours: stored-once=%d lost=%d duplicated=%d; plain jnats retry loop: stored-once=%d"
                + " lost=%d duplicated=%d; plain jnats without retry: stored-once=%d lost=%d duplicated=%d%n",
                ours.once, ours.lost, ours.duplicated, plain.once, plain.lost, plain.duplicated, noRetry.once,
                noRetry.lost, noRetry.duplicated);
        return new BenchResult("chaos-20000-msgs-3-kills-stored-exactly-once", ours.once, plain.once, "msgs");
    }

    record Outcome(int once, int lost, int duplicated) {
    }

    private Outcome runOnce(boolean reliable, int plainRetries) throws Exception {
        try (NatsServer server = NatsServer.builder().syncInterval("always").start(); Connection nc = server.connect()) {
            nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("C").subjects("c.>")
                    .storageType(StorageType.File).build());
            AtomicInteger done = new AtomicInteger();
            KillSchedule chaos = KillSchedule.start(server, done::get, Duration.ofMinutes(2), KILL_AT);
            if (reliable) {
                try (ReliablePublisher p = ReliablePublisher.builder(nc).maxInFlight(1000)
                        .retryPolicy(RetryPolicy.builder().maxAttempts(100).attemptTimeout(Duration.ofSeconds(1))
                                .deadline(Duration.ofSeconds(90)).build()).build()) {
                    for (int i = 0; i < MESSAGES; i++) {
                        p.publishAsync("c.x", body(i)).whenComplete((a, e) -> done.incrementAndGet());
                    }
                    p.flush(Duration.ofMinutes(2));
                }
            } else {
                plainRetryLoop(nc.jetStream(), done, plainRetries);
            }
            chaos.await();
            return count(nc);
        }
    }

    /** The hand-written loop: publishAsync with a window; whatever fails is published again. */
    private static void plainRetryLoop(JetStream js, AtomicInteger done, int retries) throws Exception {
        Semaphore window = new Semaphore(1000);
        AtomicInteger outstanding = new AtomicInteger();
        for (int i = 0; i < MESSAGES; i++) {
            send(js, body(i), window, done, outstanding, 0, retries);
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (outstanding.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private static void send(JetStream js, byte[] body, Semaphore window, AtomicInteger done, AtomicInteger outstanding,
                             int attempt, int retries) throws InterruptedException {
        window.acquire();
        outstanding.incrementAndGet();
        CompletableFuture<PublishAck> f;
        try {
            f = js.publishAsync("c.x", body);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.orTimeout(1, java.util.concurrent.TimeUnit.SECONDS).whenComplete((a, e) -> {
            window.release();
            if (e != null && attempt < retries) {
                Thread t = new Thread(() -> {
                    try {
                        Thread.sleep(50);
                        send(js, body, window, done, outstanding, attempt + 1, retries);
                    } catch (InterruptedException ignored) {
                        Thread.currentThread().interrupt();
                    }
                    outstanding.decrementAndGet();
                });
                t.start();
            } else {
                done.incrementAndGet();
                outstanding.decrementAndGet();
            }
        });
    }

    private static byte[] body(int i) {
        return ("m" + i).getBytes();
    }

    private static Outcome count(Connection nc) throws Exception {
        // the plain loop sets no Msg-Id, so messages are told apart by their payload
        Map<String, Integer> counts = StreamContents.countBy(nc, "C", m -> new String(m.getData()));
        int once = (int) counts.values().stream().filter(n -> n == 1).count();
        int dup = (int) counts.values().stream().filter(n -> n > 1).count();
        return new Outcome(once, MESSAGES - counts.size(), dup);
    }
}
