package io.natsmigrate.bench;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.External;
import io.nats.client.api.PublishAck;
import io.nats.client.api.Source;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.core.StreamCopy;
import io.natsmigrate.core.StreamCopyResult;
import io.natsmigrate.testkit.HubAndLeaf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Moving one stream of {@value #MESSAGES} messages (about 100 bytes each) from a leaf node's domain to its hub:
 * {@code StreamCopy} (snapshot and restore, through the hub connection with {@code fromDomain}) against the
 * baseline of a hub stream sourcing it through the leaf connection, as the cross-system recipe's bridge does.
 * Messages per second from start until the hub's stream holds every message, {@value #ROUNDS} rounds, medians.
 */
final class StreamCopyBenchmark {

    private static final int MESSAGES = 100_000;
    private static final int ROUNDS = 3;

    BenchResult run() throws Exception {
        try (HubAndLeaf topo = HubAndLeaf.builder().start();
             Connection hub = topo.hub().connect();
             Connection leaf = topo.leaf().connect()) {
            fill(leaf);
            JetStreamManagement hubJsm = hub.jetStreamManagement();
            double[] copy = new double[ROUNDS];
            double[] sourcing = new double[ROUNDS];
            for (int i = 0; i < ROUNDS; i++) {
                StreamCopyResult r = StreamCopy.stream("EVENTS").from(hub).fromDomain(topo.leafDomain()).to(hub)
                        .copy();
                copy[i] = r.messagesPerSecond();
                hubJsm.deleteStream("EVENTS");
                sourcing[i] = source(hubJsm, topo.leafApiPrefix());
            }
            return new BenchResult("stream-copy-snapshot-vs-sourcing-through-leaf", Stats.median(copy),
                    Stats.median(sourcing), "msg/s");
        }
    }

    private static void fill(Connection leaf) throws Exception {
        leaf.jetStreamManagement().addStream(StreamConfiguration.builder().name("EVENTS").subjects("events.>")
                .build());
        List<CompletableFuture<PublishAck>> acks = new ArrayList<>();
        byte[] payload = "x".repeat(100).getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < MESSAGES; i++) {
            acks.add(leaf.jetStream().publishAsync("events." + (i % 10), payload));
            if (acks.size() == 5_000) {
                CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get();
                acks.clear();
            }
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get();
    }

    private static double source(JetStreamManagement hubJsm, String leafApi) throws Exception {
        long t0 = System.nanoTime();
        hubJsm.addStream(StreamConfiguration.builder().name("EVENTS").sources(Source.builder().name("EVENTS")
                .external(External.builder().api(leafApi).build()).build()).build());
        while (hubJsm.getStreamInfo("EVENTS").getStreamState().getMsgCount() < MESSAGES) {
            Thread.sleep(5); // a poll, not a pause: the stream's count is the condition
        }
        double rate = MESSAGES / ((System.nanoTime() - t0) / 1e9);
        hubJsm.deleteStream("EVENTS");
        return rate;
    }
}
