package io.natsmigrate.bench;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.testkit.NatsServer;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * What {@code sync_interval: always} (fsync before every ack, the setting that makes an acked message survive a
 * power loss) costs against the default (fsync every 2 minutes): plain jnats publishes to a file stream on two
 * servers started in the same run, one at a time ({@code publish}, latency-bound) or with 1,000 in flight
 * ({@code publishAsync}). Ratio = always / default.
 */
final class SyncIntervalBenchmark {

    private static final int ROUNDS = 3;
    private final boolean async;

    SyncIntervalBenchmark(boolean async) {
        this.async = async;
    }

    BenchResult run() throws Exception {
        int n = async ? 20_000 : 2_000;
        try (NatsServer always = NatsServer.builder().syncInterval("always").start();
             NatsServer normal = NatsServer.start();
             Connection a = always.connect(); Connection d = normal.connect()) {
            prepare(a);
            prepare(d);
            rate(a, n / 4);
            rate(d, n / 4);
            double[] alwaysRate = new double[ROUNDS];
            double[] defaultRate = new double[ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                defaultRate[r] = rate(d, n);
                alwaysRate[r] = rate(a, n);
            }
            return new BenchResult("sync-interval-always-vs-default-" + (async ? "publishAsync" : "publish"),
                    Stats.median(alwaysRate), Stats.median(defaultRate), "msgs/s");
        }
    }

    private static void prepare(Connection nc) throws Exception {
        JetStreamManagement jsm = nc.jetStreamManagement();
        jsm.addStream(StreamConfiguration.builder().name("BENCH").subjects("bench").storageType(StorageType.File)
                .build());
    }

    private double rate(Connection nc, int n) throws Exception {
        JetStream js = nc.jetStream();
        byte[] payload = new byte[128];
        long t0 = System.nanoTime();
        if (async) {
            Semaphore window = new Semaphore(1_000);
            for (int i = 0; i < n; i++) {
                window.acquire();
                CompletableFuture<PublishAck> f = js.publishAsync("bench", payload);
                f.whenComplete((ack, e) -> window.release());
            }
            window.acquire(1_000);
        } else {
            for (int i = 0; i < n; i++) {
                js.publish("bench", payload);
            }
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }
}
