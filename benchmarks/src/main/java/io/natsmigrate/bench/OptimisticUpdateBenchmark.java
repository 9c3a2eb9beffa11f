package io.natsmigrate.bench;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.reliable.OptimisticUpdater;
import io.natsmigrate.reliable.ReliablePublisher;
import io.natsmigrate.reliable.StoredMessage;
import io.natsmigrate.testkit.NatsServer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Read-compute-write throughput on one aggregate with {@code writers} contending threads, against plain sync
 * publishes on one thread (no read, no expectation) as the reference.
 */
final class OptimisticUpdateBenchmark {

    private static final int UPDATES = 2_000;

    private final int writers;

    OptimisticUpdateBenchmark(int writers) {
        this.writers = writers;
    }

    BenchResult run() throws Exception {
        try (NatsServer server = NatsServer.start(); Connection nc = server.connect();
             ReliablePublisher publisher = ReliablePublisher.builder(nc).build()) {
            nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("AGG").subjects("agg.>")
                    .storageType(StorageType.File).build());
            JetStream js = nc.jetStream();
            long t0 = System.nanoTime();
            for (int i = 0; i < UPDATES; i++) {
                js.publish("agg.plain", new byte[8]);
            }
            double plain = UPDATES / ((System.nanoTime() - t0) / 1e9);

            OptimisticUpdater updater = OptimisticUpdater.builder(publisher, nc).maxAttempts(10_000).build();
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            long t1 = System.nanoTime();
            List<Future<?>> fs = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < UPDATES / writers; i++) {
                        updater.update("agg.counter", last -> next(last.map(StoredMessage::data).orElse(null)));
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
            double ours = (UPDATES / writers * writers) / ((System.nanoTime() - t1) / 1e9);
            pool.shutdown();
            return new BenchResult("optimistic-update-" + writers + "-writers-vs-plain-sync-publish", ours, plain,
                    "updates/s");
        }
    }

    private static byte[] next(byte[] current) {
        long v = current == null ? 0 : Long.parseLong(new String(current, StandardCharsets.UTF_8));
        return Long.toString(v + 1).getBytes(StandardCharsets.UTF_8);
    }
}
