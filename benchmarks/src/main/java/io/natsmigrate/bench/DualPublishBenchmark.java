package io.natsmigrate.bench;

import io.nats.client.Connection;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.dualpublish.DualPublisher;
import io.natsmigrate.dualpublish.LegacyLeg;
import io.natsmigrate.dualpublish.ParityVerifier;
import io.natsmigrate.dualpublish.PublishMode;
import io.natsmigrate.reliable.ReliablePublisher;
import io.natsmigrate.testkit.NatsServer;

import java.time.Duration;

/**
 * Time to publish 50,000 128-byte messages: dual mode (legacy Core leg on an "old" server, JetStream leg on a "new"
 * one) against the JetStream leg alone (the reliable publisher) on the same messages; the legacy leg alone and the
 * parity verifier's overhead are printed as references. Seven interleaved rounds; the ratio is computed per round
 * (dual over the JetStream leg of the same round) and its median and spread printed.
 */
final class DualPublishBenchmark {

    private static final int MESSAGES = 50_000;
    /** Interleaved rounds (A B A B ...): on 2 cores one round is noise, the median of seven is a figure. */
    private static final int ROUNDS = 7;

    record Results(BenchResult dual, BenchResult legacy, BenchResult verifier) {
    }

    Results run() throws Exception {
        try (NatsServer oldSystem = NatsServer.start(); NatsServer newSystem = NatsServer.start();
             Connection legacyNc = oldSystem.connect(); Connection jsNc = newSystem.connect()) {
            jsNc.jetStreamManagement().addStream(StreamConfiguration.builder().name("EVENTS").subjects("events.>")
                    .storageType(StorageType.File).build());
            byte[] payload = new byte[128];
            jsOnly(jsNc, payload, 10_000);
            dual(legacyNc, jsNc, payload, 10_000, false);
            double[] js = new double[ROUNDS];
            double[] dual = new double[ROUNDS];
            double[] legacy = new double[ROUNDS];
            double[] verified = new double[ROUNDS];
            double[] noopLegacy = new double[ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                jsNc.jetStreamManagement().purgeStream("EVENTS");
                js[r] = jsOnly(jsNc, payload, MESSAGES);
                jsNc.jetStreamManagement().purgeStream("EVENTS");
                dual[r] = dual(legacyNc, jsNc, payload, MESSAGES, false);
                jsNc.jetStreamManagement().purgeStream("EVENTS");
                verified[r] = dual(legacyNc, jsNc, payload, MESSAGES, true);
                legacy[r] = legacyOnly(legacyNc, payload, MESSAGES);
                jsNc.jetStreamManagement().purgeStream("EVENTS");
                noopLegacy[r] = dualWith((s, h, d, id) -> { }, jsNc, payload, MESSAGES);
            }
            System.out.printf("DUAL with a no-op legacy leg (the publisher's own cost): %.0f ms%n", Stats.median(noopLegacy));
            double[] ratios = new double[ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                ratios[r] = dual[r] / js[r];
            }
            double[] sorted = ratios.clone();
            java.util.Arrays.sort(sorted);
            System.out.printf(java.util.Locale.ROOT, "dual / JetStream leg alone per round: median %.3f, spread %.3f..%.3f"
                    + " over %d interleaved rounds %s%n", Stats.median(ratios), sorted[0], sorted[ROUNDS - 1], ROUNDS,
                    java.util.Arrays.toString(ratios));
            return new Results(
                    new BenchResult("dual-publish-vs-jetstream-leg-alone", Stats.median(dual), Stats.median(js), "ms"),
                    new BenchResult("legacy-leg-alone-vs-jetstream-leg-alone", Stats.median(legacy), Stats.median(js),
                            "ms"),
                    new BenchResult("dual-publish-with-parity-verifier-vs-without", Stats.median(verified),
                            Stats.median(dual), "ms"));
        }
    }

    private static double jsOnly(Connection jsNc, byte[] payload, int n) throws Exception {
        long t0 = System.nanoTime();
        try (ReliablePublisher p = ReliablePublisher.builder(jsNc).build()) {
            for (int i = 0; i < n; i++) {
                p.publishAsync("events.run", payload);
            }
            p.flush(Duration.ofMinutes(1));
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    private static double dual(Connection legacyNc, Connection jsNc, byte[] payload, int n, boolean verify)
            throws Exception {
        ParityVerifier verifier = verify ? ParityVerifier.builder().legacy(legacyNc, "events.>")
                .jetStream(jsNc, "EVENTS").window(Duration.ofSeconds(2)).build() : null;
        try {
            long t0 = System.nanoTime();
            try (DualPublisher p = DualPublisher.builder().legacy(LegacyLeg.nats(legacyNc)).jetStream(jsNc, "EVENTS")
                    .mode(PublishMode.DUAL).build()) {
                for (int i = 0; i < n; i++) {
                    p.publish("events.run", payload);
                }
                p.flush(Duration.ofMinutes(1));
                legacyNc.flush(Duration.ofSeconds(10));
            }
            return (System.nanoTime() - t0) / 1e6;
        } finally {
            if (verifier != null) {
                verifier.close();
            }
        }
    }

    private static double dualWith(LegacyLeg leg, Connection jsNc, byte[] payload, int n) throws Exception {
        long t0 = System.nanoTime();
        try (DualPublisher p = DualPublisher.builder().legacy(leg).jetStream(jsNc, "EVENTS").mode(PublishMode.DUAL)
                .build()) {
            for (int i = 0; i < n; i++) {
                p.publish("events.run", payload);
            }
            p.flush(Duration.ofMinutes(1));
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    private static double legacyOnly(Connection legacyNc, byte[] payload, int n) throws Exception {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            legacyNc.publish("events.run", payload);
        }
        legacyNc.flush(Duration.ofSeconds(10));
        return (System.nanoTime() - t0) / 1e6;
    }
}
