package io.natsmigrate.bench;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.NUID;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.natsmigrate.reliable.ReliablePublisher;
import io.natsmigrate.testkit.NatsServer;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * Async publish throughput: {@link ReliablePublisher#publishAsync} against a plain jnats {@code publishAsync}
 * loop with the same in-flight window (1,000) and a Msg-Id on every message; file storage, 128-byte payloads,
 * same server, alternating rounds, median of each.
 */
final class ReliablePublishBenchmark {

    private static final int MESSAGES = 100_000;
    private static final int WINDOW = 1_000;
    private static final int ROUNDS = 5;

    BenchResult run() throws Exception {
        try (NatsServer server = NatsServer.start(); Connection nc = server.connect()) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name("BENCH").subjects("bench.>")
                    .storageType(StorageType.File).build());
            byte[] payload = new byte[128];
            plain(nc, payload, 20_000); // warm-up both paths
            ours(nc, payload, 20_000);
            double[] oursRate = new double[ROUNDS];
            double[] plainRate = new double[ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                jsm.purgeStream("BENCH");
                plainRate[r] = plain(nc, payload, MESSAGES);
                jsm.purgeStream("BENCH");
                oursRate[r] = ours(nc, payload, MESSAGES);
            }
            return new BenchResult("reliable-publish-async-vs-jnats-publishAsync", Stats.median(oursRate),
                    Stats.median(plainRate), "msgs/s");
        }
    }

    static double plain(Connection nc, byte[] payload, int n) throws Exception {
        JetStream js = nc.jetStream();
        Semaphore window = new Semaphore(WINDOW);
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            window.acquire();
            Headers h = new Headers().put("Nats-Msg-Id", NUID.nextGlobal());
            CompletableFuture<PublishAck> f = js.publishAsync("bench.plain", h, payload);
            f.whenComplete((a, e) -> window.release());
        }
        window.acquire(WINDOW);
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    static double ours(Connection nc, byte[] payload, int n) throws Exception {
        long t0 = System.nanoTime();
        try (ReliablePublisher p = ReliablePublisher.builder(nc).maxInFlight(WINDOW).build()) {
            for (int i = 0; i < n; i++) {
                p.publishAsync("bench.ours", payload);
            }
            p.flush(java.time.Duration.ofMinutes(1));
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }
}
