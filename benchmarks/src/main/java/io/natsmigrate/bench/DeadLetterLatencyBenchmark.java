package io.natsmigrate.bench;

import io.nats.client.Connection;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.consumer.ConsumerRunner;
import io.natsmigrate.consumer.DeadLetter;
import io.natsmigrate.consumer.DeadLetterListener;
import io.natsmigrate.consumer.DeadLetterQueue;
import io.natsmigrate.consumer.Outcome;
import io.natsmigrate.testkit.NatsServer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Latency from the final failed delivery (AckTerm) to the stored dead letter, over 300 messages (the first 50 warm up). */
final class DeadLetterLatencyBenchmark {

    private static final int MESSAGES = 300;
    /** The first messages warm up the JIT and the streams; they are not measured. */
    private static final int WARMUP = 50;

    BenchResult run() throws Exception {
        try (NatsServer server = NatsServer.start(); Connection nc = server.connect()) {
            nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("ORDERS").subjects("orders.>").build());
            Map<Long, Long> failedAt = new ConcurrentHashMap<>();
            Map<Long, Long> storedAt = new ConcurrentHashMap<>();
            CountDownLatch done = new CountDownLatch(MESSAGES);
            try (DeadLetterQueue dlq = DeadLetterQueue.builder(nc).watch("ORDERS").listener(new DeadLetterListener() {
                @Override
                public void written(DeadLetter d) {
                    storedAt.put(d.sequence(), System.nanoTime());
                    done.countDown();
                }
            }).build().start();
                 ConsumerRunner runner = ConsumerRunner.builder(nc, "ORDERS",
                         ConsumerConfiguration.builder().durable("billing").build()).handler(d -> {
                     failedAt.put(d.message().metaData().streamSequence(), System.nanoTime());
                     return Outcome.term("benchmark");
                 }).build()) {
                for (int i = 0; i < MESSAGES; i++) {
                    nc.jetStream().publish("orders.x", new byte[64]);
                    Thread.sleep(2); // a steady trickle of failures, as in production, not one burst
                }
                if (!done.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("only " + storedAt.size() + " dead letters within 60 s");
                }
            }
            double[] ms = failedAt.entrySet().stream().filter(e -> storedAt.containsKey(e.getKey()))
                    .filter(e -> e.getKey() > WARMUP)
                    .mapToDouble(e -> (storedAt.get(e.getKey()) - e.getValue()) / 1e6).toArray();
            double p50 = Stats.percentile(ms, 50);
            double p99 = Stats.percentile(ms, 99);
            System.out.printf("DLQ latency from AckTerm to stored dead letter over %d messages: p50 %.2f ms, p99 %.2f ms"
                    + " (goal p99 <= 50 ms)%n", ms.length, p50, p99);
            return new BenchResult("dlq-latency-p99-vs-p50", p99, p50, "ms");
        }
    }
}
