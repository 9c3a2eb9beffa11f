package io.natsmigrate.bench;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.testkit.NatsCluster;

/**
 * Async publish throughput on the testkit's 3-node cluster into an R3 file stream: the reliable publisher against a
 * plain jnats {@code publishAsync} loop with the same window (1,000) and a Msg-Id on every message, alternating
 * rounds, median of each. The same loops as {@link ReliablePublishBenchmark}, on the production topology.
 */
final class ClusterPublishBenchmark {

    private static final int MESSAGES = 50_000;
    private static final int ROUNDS = 5;

    BenchResult run() throws Exception {
        try (NatsCluster cluster = NatsCluster.builder().start(); Connection nc = cluster.connect()) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name("BENCH").subjects("bench.>")
                    .storageType(StorageType.File).replicas(3).build());
            cluster.awaitStreamReady("BENCH");
            byte[] payload = new byte[128];
            ReliablePublishBenchmark.plain(nc, payload, 10_000); // warm-up both paths
            ReliablePublishBenchmark.ours(nc, payload, 10_000);
            double[] ours = new double[ROUNDS];
            double[] plain = new double[ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                jsm.purgeStream("BENCH");
                plain[r] = ReliablePublishBenchmark.plain(nc, payload, MESSAGES);
                jsm.purgeStream("BENCH");
                ours[r] = ReliablePublishBenchmark.ours(nc, payload, MESSAGES);
            }
            return new BenchResult("r3-reliable-publish-async-vs-jnats-publishAsync", Stats.median(ours),
                    Stats.median(plain), "msgs/s");
        }
    }
}
