package io.natsmigrate.samples;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.consumer.ConsumerRunner;
import io.natsmigrate.consumer.Outcome;
import io.natsmigrate.core.ApplyOptions;
import io.natsmigrate.core.CoreToJetStreamRecipe;
import io.natsmigrate.core.Gates;
import io.natsmigrate.core.MigrationPlan;
import io.natsmigrate.core.MigrationRunner;
import io.natsmigrate.dualpublish.DualPublishResult;
import io.natsmigrate.dualpublish.DualPublisher;
import io.natsmigrate.dualpublish.LegacyLeg;
import io.natsmigrate.dualpublish.ParityVerifier;
import io.natsmigrate.dualpublish.PublishMode;
import io.natsmigrate.testkit.NatsServer;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * NATS Core to JetStream for run-completion events (the "NATS to JetStream Migration Guide" walkthrough):
 * a publisher and a legacy Core subscriber run throughout while the plan walks provision, dual publish, shadow
 * (parity-verified), cutover, JetStream only and decommission, and the publisher switches mode from the plan.
 */
final class CoreToJetStreamSample implements Sample {

    private static final String SUBJECT = "events";
    private static final String STREAM = "run-completion-events";
    private static final String CONSUMER = "my-app-consumer-v1";

    @Override
    public String name() {
        return "core-to-jetstream";
    }

    @Override
    public String description() {
        return "NATS Core -> JetStream for run-completion events: dual publish, shadow consumer verified for parity,"
                + " cutover, decommission";
    }

    @Override
    public SampleReport run(PrintStream out) throws Exception {
        PhaseTimer phases = new PhaseTimer(out);
        phases.begin("start nats-server");
        try (NatsServer server = NatsServer.start(); Connection nc = server.connect()) {
            JetStreamManagement jsm = nc.jetStreamManagement();

            // The legacy application: a plain Core subscriber, running until decommission.
            Set<String> legacySeen = ConcurrentHashMap.newKeySet();
            var legacyDispatcher = nc.createDispatcher(m -> legacySeen.add(m.getHeaders().getFirst("Nats-Msg-Id")));
            legacyDispatcher.subscribe(SUBJECT);

            Map<String, PublishMode> published = new ConcurrentHashMap<>();
            Map<String, Integer> jsDelivered = new ConcurrentHashMap<>();
            AtomicBoolean publishing = new AtomicBoolean(true);
            AtomicReference<ParityVerifier> verifier = new AtomicReference<>();

            MigrationPlan plan = CoreToJetStreamRecipe.named("run-completion")
                    .stream(StreamConfiguration.builder().name(STREAM).subjects(SUBJECT).maxAge(Duration.ofHours(1))
                            .maxMessages(1_000).maxBytes(10L * 1024 * 1024).build())
                    .consumer(ConsumerConfiguration.builder().durable(CONSUMER).build())
                    // The verifier reads the stream, which exists only once provisioned: a late gate builds it when
                    // the plan reaches the shadow phase, so the gate is declared with the plan.
                    .parityGate(Gates.late("parity 99.9% over 300 messages", Duration.ofSeconds(60), () -> {
                        ParityVerifier v = ParityVerifier.builder().legacy(nc, SUBJECT).jetStream(nc, STREAM)
                                .window(Duration.ofSeconds(2)).build();
                        verifier.set(v);
                        return v.gate(0.999, 300, Duration.ofSeconds(60));
                    }))
                    .build();

            try (MigrationRunner runner = plan.runner(nc).instanceId("sample").build();
                 DualPublisher publisher = DualPublisher.builder().legacy(LegacyLeg.nats(nc)).jetStream(nc, STREAM)
                         .followPlan(nc, "run-completion").build()) {
                runner.preflight().warnings().forEach(w -> out.println("    preflight warning: " + w));
                Thread producer = new Thread(() -> {
                    int i = 0;
                    while (publishing.get()) {
                        try {
                            DualPublishResult r = publisher.publish(SUBJECT, ("run " + i++ + " completed").getBytes());
                            published.put(r.msgId(), r.mode());
                            Thread.sleep(2); // a steady event rate, as run completions arrive
                        } catch (InterruptedException e) {
                            return;
                        } catch (Exception e) {
                            out.println("    publish failed: " + e);
                        }
                    }
                }, "run-completion-publisher");
                producer.start();
                try {
                    migrate(out, phases, nc, jsm, runner, publisher, producer, publishing, published,
                            legacySeen, jsDelivered, legacyDispatcher, verifier);
                } finally {
                    publishing.set(false);
                    producer.join();
                    if (verifier.get() != null) {
                        verifier.get().close();
                    }
                }
            }
            return account(published, legacySeen, jsDelivered, phases, out);
        }
    }

    private static void migrate(PrintStream out, PhaseTimer phases, Connection nc, JetStreamManagement jsm,
                                MigrationRunner runner, DualPublisher publisher, Thread producer,
                                AtomicBoolean publishing, Map<String, PublishMode> published, Set<String> legacySeen,
                                Map<String, Integer> jsDelivered, io.nats.client.Dispatcher legacyDispatcher,
                                AtomicReference<ParityVerifier> verifier) throws Exception {
        phases.begin("provision");
        runner.applyTo(CoreToJetStreamRecipe.PROVISION);
        progress(out, published, legacySeen, jsDelivered, jsm);

        phases.begin("dual publish");
        runner.applyTo(CoreToJetStreamRecipe.DUAL_PUBLISH);
        publisher.awaitMode(PublishMode.DUAL, Duration.ofSeconds(10));
        progress(out, published, legacySeen, jsDelivered, jsm);

        phases.begin("shadow (parity verified)");
        try (ConsumerRunner shadow = ConsumerRunner.builder(nc, STREAM,
                ConsumerConfiguration.builder().durable(CONSUMER).build()).handler(d -> {
                    jsDelivered.merge(d.msgId(), 1, Integer::sum);
                    return Outcome.ack();
                }).build()) {
            runner.applyTo(CoreToJetStreamRecipe.SHADOW); // waits on the parity gate
            out.println("    parity: " + verifier.get().report().toText().lines().findFirst().orElse(""));
            progress(out, published, legacySeen, jsDelivered, jsm);

            phases.begin("cutover");
            runner.applyTo(CoreToJetStreamRecipe.CUTOVER);
            progress(out, published, legacySeen, jsDelivered, jsm);

            phases.begin("JetStream only");
            runner.applyTo(CoreToJetStreamRecipe.JETSTREAM_ONLY);
            publisher.awaitMode(PublishMode.JETSTREAM_ONLY, Duration.ofSeconds(10));
            Thread.sleep(300); // let the publisher run in the final mode for a moment
            publishing.set(false);
            producer.join();
            publisher.flush(Duration.ofSeconds(30));
            awaitDrained(jsm, published, jsDelivered);
            progress(out, published, legacySeen, jsDelivered, jsm);

            phases.begin("decommission");
            runner.applyTo(CoreToJetStreamRecipe.DECOMMISSION, ApplyOptions.builder()
                    .confirmIrreversible(CoreToJetStreamRecipe.DECOMMISSION_STEP).build());
            nc.closeDispatcher(legacyDispatcher);
            out.println("    plan history: " + runner.history().size() + " transitions, now at "
                    + runner.state().phase());
        }
    }

    private static void awaitDrained(JetStreamManagement jsm, Map<String, PublishMode> published,
                                     Map<String, Integer> delivered) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            var ci = jsm.getConsumerInfo(STREAM, CONSUMER);
            if (ci.getNumPending() == 0 && ci.getNumAckPending() == 0) {
                return;
            }
            Thread.sleep(20); // poll the consumer's lag
        }
    }

    private static void progress(PrintStream out, Map<String, PublishMode> published, Set<String> legacy,
                                 Map<String, Integer> js, JetStreamManagement jsm) {
        long lag;
        try {
            lag = jsm.getConsumerInfo(STREAM, CONSUMER).getNumPending();
        } catch (Exception e) {
            lag = -1;
        }
        out.printf("    published %d, legacy delivered %d, JetStream delivered %d, consumer lag %s%n", published.size(),
                legacy.size(), js.size(), lag < 0 ? "n/a" : Long.toString(lag));
    }

    private static SampleReport account(Map<String, PublishMode> published, Set<String> legacy,
                                        Map<String, Integer> js, PhaseTimer phases, PrintStream out) {
        AtomicLong lost = new AtomicLong();
        published.forEach((id, mode) -> {
            boolean needsLegacy = mode != PublishMode.JETSTREAM_ONLY;
            boolean needsJs = mode != PublishMode.LEGACY_ONLY;
            if ((needsLegacy && !legacy.contains(id)) || (needsJs && !js.containsKey(id))) {
                lost.incrementAndGet();
            }
        });
        long duplicates = js.values().stream().mapToLong(n -> n - 1).sum();
        out.printf("    by mode: %s%n", published.values().stream().collect(java.util.stream.Collectors.groupingBy(
                m -> m, java.util.TreeMap::new, java.util.stream.Collectors.counting())));
        List<String> legacyOnly = published.entrySet().stream().filter(e -> e.getValue() == PublishMode.LEGACY_ONLY)
                .map(Map.Entry::getKey).toList();
        // Same subject, same system: a Core publish made once the stream exists is stored by it as well.
        out.printf("    delivered below counts the JetStream consumer. The %d messages published in legacy-only mode"
                        + " went to the legacy subscriber (%d received there); %d of them, published after the stream"
                        + " existed, were also stored by it (it listens on the same subject)%n", legacyOnly.size(),
                legacyOnly.stream().filter(legacy::contains).count(), legacyOnly.stream().filter(js::containsKey).count());
        return new SampleReport(published.size(), js.size(), duplicates, lost.get(), phases.phases());
    }
}
