package io.natsmigrate.bench;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.NUID;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.natsmigrate.reliable.ReliablePublisher;
import io.natsmigrate.reliable.RetryPolicy;
import io.natsmigrate.testkit.NatsCluster;
import io.natsmigrate.testkit.NatsServer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How long publishing stalls when an R3 stream's leader dies: the time from the SIGKILL to the first ack after it,
 * for the reliable publisher (default retry policy) and for a plain jnats {@code publishAsync} loop that just goes
 * on with new messages, both publishing at the same pace into the same stream in the same run. Next to them, the
 * election itself as the testkit sees it: the time from the kill until the stream reports a new leader. Five kills,
 * each after the cluster is whole again; p50 and max.
 */
final class ElectionStallBenchmark {

    private static final int KILLS = 5;
    private static final int PER_SECOND = 500;

    record Results(BenchResult p50, BenchResult max, double electionP50, double electionMax) {
    }

    Results run() throws Exception {
        try (NatsCluster cluster = NatsCluster.builder().start(); Connection oursNc = cluster.connect();
             Connection plainNc = cluster.connect()) {
            oursNc.jetStreamManagement().addStream(StreamConfiguration.builder().name("STALL").subjects("stall.>")
                    .storageType(StorageType.File).replicas(3).build());
            cluster.awaitStreamReady("STALL");
            ConcurrentLinkedQueue<Long> oursAcks = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<Long> plainAcks = new ConcurrentLinkedQueue<>();
            AtomicBoolean running = new AtomicBoolean(true);
            double[] ours = new double[KILLS];
            double[] plain = new double[KILLS];
            double[] election = new double[KILLS];
            try (ReliablePublisher publisher = ReliablePublisher.builder(oursNc)
                    .retryPolicy(RetryPolicy.builder().deadline(Duration.ofSeconds(60)).build()).build()) {
                Thread oursLoop = paced(running, () -> publisher.publishAsync("stall.ours", new byte[64])
                        .whenComplete((a, e) -> {
                            if (e == null) {
                                oursAcks.add(System.nanoTime());
                            }
                        }));
                JetStream js = plainNc.jetStream();
                Thread plainLoop = paced(running, () -> js.publishAsync("stall.plain",
                        new Headers().put("Nats-Msg-Id", NUID.nextGlobal()), new byte[64]).whenComplete((a, e) -> {
                            if (e == null) {
                                plainAcks.add(System.nanoTime());
                            }
                        }));
                for (int k = 0; k < KILLS; k++) {
                    Thread.sleep(1_000); // steady state before each kill
                    NatsServer leader = cluster.streamLeader("STALL");
                    long killedAt = System.nanoTime();
                    leader.kill();
                    NatsServer next = cluster.streamLeader("STALL"); // polls until a running node leads
                    election[k] = ms(System.nanoTime() - killedAt);
                    leader.restart();
                    cluster.awaitStreamReady("STALL");
                    ours[k] = ms(firstAfter(oursAcks, killedAt) - killedAt);
                    plain[k] = ms(firstAfter(plainAcks, killedAt) - killedAt);
                    System.out.printf("kill %d: leader %s -> %s, election %.0f ms, first ack after it: ours %.0f ms,"
                            + " plain jnats %.0f ms%n", k + 1, leader.name(), next.name(), election[k], ours[k],
                            plain[k]);
                }
                running.set(false);
                oursLoop.join();
                plainLoop.join();
            }
            return new Results(
                    new BenchResult("election-stall-p50-reliable-vs-jnats", Stats.median(ours), Stats.median(plain),
                            "ms"),
                    new BenchResult("election-stall-max-reliable-vs-jnats", max(ours), max(plain), "ms"),
                    Stats.median(election), max(election));
        }
    }

    private static Thread paced(AtomicBoolean running, Runnable publish) {
        Thread t = new Thread(() -> {
            long interval = TimeUnit.SECONDS.toNanos(1) / PER_SECOND;
            long due = System.nanoTime();
            while (running.get()) {
                publish.run();
                due += interval;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                } else {
                    due = System.nanoTime();
                }
            }
        }, "stall-publisher");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static long firstAfter(ConcurrentLinkedQueue<Long> acks, long t) {
        List<Long> all = new ArrayList<>(acks);
        return all.stream().filter(x -> x > t).min(Long::compare).orElse(t);
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static double max(double[] v) {
        double m = 0;
        for (double d : v) {
            m = Math.max(m, d);
        }
        return m;
    }
}
