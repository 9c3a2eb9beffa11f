package io.natsmigrate.bench;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.reliable.AtomicBatch;
import io.natsmigrate.testkit.NatsServer;

/** Time to store 1,000 messages: one atomic batch against 1,000 sync publishes (median of 10 each). */
final class AtomicBatchBenchmark {

    private static final int SIZE = 1_000;
    private static final int ROUNDS = 10;

    BenchResult run() throws Exception {
        try (NatsServer server = NatsServer.start(); Connection nc = server.connect()) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name("BATCH").subjects("batch.>").allowAtomicPublish(true)
                    .storageType(StorageType.File).build());
            byte[] payload = new byte[128];
            JetStream js = nc.jetStream();
            double[] batch = new double[ROUNDS];
            double[] sync = new double[ROUNDS];
            for (int r = -2; r < ROUNDS; r++) { // two warm-up rounds
                long t0 = System.nanoTime();
                try (AtomicBatch b = AtomicBatch.start(nc)) {
                    for (int i = 0; i < SIZE - 1; i++) {
                        b.add("batch.b", payload);
                    }
                    b.commit("batch.b", payload);
                }
                long t1 = System.nanoTime();
                for (int i = 0; i < SIZE; i++) {
                    js.publish("batch.s", payload);
                }
                long t2 = System.nanoTime();
                if (r >= 0) {
                    batch[r] = (t1 - t0) / 1e6;
                    sync[r] = (t2 - t1) / 1e6;
                }
            }
            return new BenchResult("atomic-batch-1000-vs-1000-sync-publishes", Stats.median(batch),
                    Stats.median(sync), "ms");
        }
    }
}
