package io.natsmigrate.bench;

import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.natsmigrate.reliable.PublishObservation;
import io.natsmigrate.testkit.NatsServer;

/**
 * What observing a publish costs: synchronous jnats publishes wrapped in {@link PublishObservation} (a registry
 * with Micrometer's meter handler, as Spring Boot configures it: a timer per publish) against the same publishes
 * unwrapped; memory storage so the observation's share is not hidden by disk writes, 128-byte payloads,
 * alternating rounds, median of each.
 */
final class ObservedPublishBenchmark {

    private static final int MESSAGES = 20_000;
    private static final int ROUNDS = 5;

    BenchResult run() throws Exception {
        try (NatsServer server = NatsServer.start(); Connection nc = server.connect()) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name("OBS").subjects("obs.>")
                    .storageType(StorageType.Memory).build());
            ObservationRegistry registry = ObservationRegistry.create();
            registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(
                    new SimpleMeterRegistry()));
            byte[] payload = new byte[128];
            JetStream js = nc.jetStream();
            plain(js, payload, 5_000); // warm-up both paths
            observed(js, registry, payload, 5_000);
            double[] oursRate = new double[ROUNDS];
            double[] plainRate = new double[ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                jsm.purgeStream("OBS");
                plainRate[r] = plain(js, payload, MESSAGES);
                jsm.purgeStream("OBS");
                oursRate[r] = observed(js, registry, payload, MESSAGES);
            }
            return new BenchResult("observed-publish-vs-jnats-publish", Stats.median(oursRate),
                    Stats.median(plainRate), "msgs/s");
        }
    }

    private static double plain(JetStream js, byte[] payload, int n) throws Exception {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            js.publish("obs.plain", new Headers(), payload);
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    private static double observed(JetStream js, ObservationRegistry registry, byte[] payload, int n)
            throws Exception {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Headers h = new Headers();
            PublishObservation.observe(registry, "obs.observed", h, () -> js.publish("obs.observed", h, payload));
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }
}
