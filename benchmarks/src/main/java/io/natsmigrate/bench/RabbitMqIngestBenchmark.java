package io.natsmigrate.bench;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.PublishAck;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.core.CoreToJetStreamRecipe;
import io.natsmigrate.core.MigrationRunner;
import io.natsmigrate.core.rabbitmq.RabbitDefinitions;
import io.natsmigrate.core.rabbitmq.RabbitMqMigration;
import io.natsmigrate.core.rabbitmq.RabbitMqRecipe;
import io.natsmigrate.testkit.NatsServer;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * What the RabbitMQ translation's routing costs: a message is published to the ingest stream and copied into the
 * queue's stream by sourcing, so it is stored twice. Time until 20,000 messages (128 B, 1,000 in flight) are in a
 * translated queue's stream, against plain jnats publishing them straight into a work-queue stream, same server,
 * alternating rounds, median of 3.
 */
final class RabbitMqIngestBenchmark {

    private static final int MESSAGES = 20_000;
    private static final int ROUNDS = 3;

    BenchResult run() throws Exception {
        try (NatsServer server = NatsServer.start(); Connection nc = server.connect()) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            RabbitMqMigration m = RabbitMqRecipe.from(RabbitDefinitions.parse(
                    "{\"queues\": [{\"name\": \"work\", \"vhost\": \"/\", \"durable\": true}]}")).build();
            try (MigrationRunner runner = m.plan().runner(nc).build()) {
                runner.applyTo(CoreToJetStreamRecipe.PROVISION);
            }
            String queueStream = m.queueStream("work").getName();
            jsm.addStream(StreamConfiguration.builder().name("DIRECT").subjects("direct.work")
                    .retentionPolicy(RetentionPolicy.WorkQueue).build());
            double[] ours = new double[ROUNDS];
            double[] plain = new double[ROUNDS];
            timed(nc, jsm, m.subject("", "work"), queueStream, MESSAGES / 4); // warm-up both paths
            timed(nc, jsm, "direct.work", "DIRECT", MESSAGES / 4);
            for (int r = 0; r < ROUNDS; r++) {
                plain[r] = timed(nc, jsm, "direct.work", "DIRECT", MESSAGES);
                ours[r] = timed(nc, jsm, m.subject("", "work"), queueStream, MESSAGES);
            }
            return new BenchResult("rabbitmq-ingest-to-queue-stream-vs-direct-workqueue", Stats.median(ours),
                    Stats.median(plain), "ms");
        }
    }

    /** Milliseconds until {@code n} published messages are stored in {@code stream}; purges it first. */
    private static double timed(Connection nc, JetStreamManagement jsm, String subject, String stream, int n)
            throws Exception {
        jsm.purgeStream(stream);
        JetStream js = nc.jetStream();
        byte[] payload = new byte[128];
        Semaphore window = new Semaphore(1_000);
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            window.acquire();
            CompletableFuture<PublishAck> f = js.publishAsync(subject, payload);
            f.whenComplete((a, e) -> window.release());
        }
        window.acquire(1_000);
        while (jsm.getStreamInfo(stream).getStreamState().getMsgCount() < n) {
            Thread.sleep(1);
        }
        return (System.nanoTime() - t0) / 1e6;
    }
}
