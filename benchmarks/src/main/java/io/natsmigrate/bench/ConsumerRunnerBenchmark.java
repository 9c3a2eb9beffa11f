package io.natsmigrate.bench;

import io.nats.client.Connection;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.consumer.ConsumerRunner;
import io.natsmigrate.consumer.Outcome;
import io.natsmigrate.reliable.ReliablePublisher;
import io.natsmigrate.testkit.NatsServer;

import java.time.Duration;
import java.util.List;

/**
 * Consume 200,000 stored 128-byte messages with explicit acks: the consumer runner (batches of 500) against a
 * hand-written jnats fetch(500) + ack loop, each on its own durable consumer of the same stream.
 */
final class ConsumerRunnerBenchmark {

    private static final int MESSAGES = 200_000;

    BenchResult run() throws Exception {
        try (NatsServer server = NatsServer.start(); Connection nc = server.connect()) {
            nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("LOAD").subjects("load.>")
                    .storageType(StorageType.File).build());
            try (ReliablePublisher p = ReliablePublisher.builder(nc).build()) {
                byte[] payload = new byte[128];
                for (int i = 0; i < MESSAGES; i++) {
                    p.publishAsync("load.x", payload);
                }
                p.flush(Duration.ofMinutes(2));
            }
            double plain = plainLoop(nc);
            double ours = runner(nc);
            return new BenchResult("consumer-runner-vs-jnats-fetch500-ack-loop", ours, plain, "msgs/s");
        }
    }

    private static double plainLoop(Connection nc) throws Exception {
        nc.jetStreamManagement().addOrUpdateConsumer("LOAD", ConsumerConfiguration.builder().durable("plain").build());
        JetStreamSubscription sub = nc.jetStream().subscribe(null, PullSubscribeOptions.bind("LOAD", "plain"));
        long t0 = System.nanoTime();
        int n = 0;
        while (n < MESSAGES) {
            List<Message> batch = sub.fetch(500, Duration.ofSeconds(1));
            for (Message m : batch) {
                m.ack();
                n++;
            }
        }
        double rate = n / ((System.nanoTime() - t0) / 1e9);
        sub.unsubscribe();
        return rate;
    }

    private static double runner(Connection nc) throws Exception {
        long t0 = System.nanoTime();
        try (ConsumerRunner r = ConsumerRunner.builder(nc, "LOAD", ConsumerConfiguration.builder().durable("ours").build())
                .batchSize(500).concurrency(1).handler(d -> Outcome.ack()).build()) {
            while (r.stats().acked() < MESSAGES) {
                Thread.sleep(5); // sampling the counter of a running benchmark
            }
            return MESSAGES / ((System.nanoTime() - t0) / 1e9);
        }
    }
}
