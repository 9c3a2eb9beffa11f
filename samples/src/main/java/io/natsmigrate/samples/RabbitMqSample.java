package io.natsmigrate.samples;

import io.nats.client.Connection;
import io.natsmigrate.consumer.ConsumerRunner;
import io.natsmigrate.consumer.DeadLetter;
import io.natsmigrate.consumer.DeadLetterQueue;
import io.natsmigrate.consumer.IdempotencyStore;
import io.natsmigrate.consumer.Outcome;
import io.natsmigrate.core.ApplyOptions;
import io.natsmigrate.core.CoreToJetStreamRecipe;
import io.natsmigrate.core.MigrationRunner;
import io.natsmigrate.core.rabbitmq.DeadLetterRoute;
import io.natsmigrate.core.rabbitmq.RabbitDefinitions;
import io.natsmigrate.core.rabbitmq.RabbitMqMigration;
import io.natsmigrate.core.rabbitmq.RabbitMqRecipe;
import io.natsmigrate.dualpublish.DualPublishResult;
import io.natsmigrate.dualpublish.DualPublisher;
import io.natsmigrate.dualpublish.PublishMode;
import io.natsmigrate.testkit.NatsServer;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A RabbitMQ work queue with a dead-letter exchange moves to JetStream: the definitions export becomes a plan,
 * the publisher dual-publishes through an AMQP leg, the worker cuts over with an idempotency store, and poison
 * messages are dead-lettered on both sides. The AMQP broker is simulated in process (a queue in memory), so the
 * library needs no AMQP client.
 */
final class RabbitMqSample implements Sample {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Override
    public String name() {
        return "rabbitmq";
    }

    @Override
    public String description() {
        return "a RabbitMQ work queue with a dead-letter exchange moves to JetStream (AMQP side simulated in"
                + " process)";
    }

    @Override
    public SampleReport run(PrintStream out) throws Exception {
        PhaseTimer phases = new PhaseTimer(out);
        phases.begin("translate the definitions export");
        RabbitDefinitions defs;
        try (InputStream in = RabbitMqSample.class.getResourceAsStream("/rabbitmq-work-queue.json")) {
            defs = RabbitDefinitions.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        RabbitMqMigration m = RabbitMqRecipe.from(defs).build();
        out.println("    queue work -> stream " + m.queueStream("work").getName() + ", consumer "
                + m.queueConsumer("work").getDurable() + " (max deliver " + m.queueConsumer("work").getMaxDeliver()
                + "); publish subject " + m.subject("tasks", "work"));
        m.report().toText().lines().forEach(l -> out.println("    " + l));
        DeadLetterRoute route = m.deadLetterRoutes().get(0);
        out.println("    dead letters of work go to " + route.dlqSubject() + " -> queue " + route.targets());

        phases.begin("start nats-server, provision");
        out.println("    NOTE: the AMQP broker is simulated in process; no RabbitMQ is involved");
        try (NatsServer server = NatsServer.start(); Connection nc = server.connect()) {
            Ledger ledger = new Ledger();
            BlockingQueue<String[]> amqpWork = new LinkedBlockingQueue<>();
            try (MigrationRunner runner = m.plan().runner(nc).instanceId("sample").build();
                 DualPublisher publisher = DualPublisher.builder()
                         .legacy((key, headers, data, msgId) -> amqpWork.put(new String[]{msgId,
                                 new String(data, StandardCharsets.UTF_8)}))
                         .jetStream(nc, m.ingestStream().getName())
                         .subjectMapping(key -> m.subject("tasks", key))
                         .followPlan(nc, m.plan().name()).build()) {
                IdempotencyStore processed = IdempotencyStore.open(nc, "work_processed", Duration.ofHours(1));
                runner.preflight();
                runner.applyTo(CoreToJetStreamRecipe.PROVISION);
                AtomicBoolean legacyRunning = new AtomicBoolean(true);
                Thread legacyWorker = new Thread(() -> legacyWork(amqpWork, processed, ledger, legacyRunning),
                        "amqp-worker");
                legacyWorker.start();
                AtomicBoolean publishing = new AtomicBoolean(true);
                Thread producer = new Thread(() -> produce(publisher, ledger, publishing), "producer");
                producer.start();
                try {
                    Wait.until(TIMEOUT, () -> ledger.published.size() > 300, "300 publishes on the AMQP side");
                    out.println("    " + ledger.progress());

                    phases.begin("dual publish (AMQP leg + JetStream)");
                    runner.applyTo(CoreToJetStreamRecipe.CUTOVER);
                    Wait.forMode(publisher, PublishMode.DUAL);
                    long before = ledger.published.size();
                    Wait.until(TIMEOUT, () -> ledger.published.size() > before + 500, "500 dual publishes");
                    out.println("    " + ledger.progress() + "; " + nc.jetStreamManagement().getStreamInfo(
                            m.queueStream("work").getName()).getStreamState().getMsgCount() + " waiting in JetStream");

                    phases.begin("JetStream only; AMQP worker drains, JetStream worker takes over");
                    runner.applyTo(CoreToJetStreamRecipe.JETSTREAM_ONLY);
                    Wait.forMode(publisher, PublishMode.JETSTREAM_ONLY);
                    Wait.until(TIMEOUT, amqpWork::isEmpty, "the AMQP queue to drain");
                    legacyRunning.set(false);
                    legacyWorker.join();
                    try (DeadLetterQueue dlq = DeadLetterQueue.builder(nc).watch(route.stream(), route.consumer())
                            .dlqStream(m.dlqStream(), m.dlqPrefix()).build().start();
                         ConsumerRunner worker = ConsumerRunner.builder(nc, route.stream(),
                                 m.queueConsumer("work")).idempotency(processed).handler(d -> {
                                     String body = new String(d.message().getData(), StandardCharsets.UTF_8);
                                     if (body.startsWith("poison")) {
                                         return Outcome.term("cannot parse " + body); // basic.reject, no requeue
                                     }
                                     ledger.processed(d.msgId(), true);
                                     return Outcome.ack();
                                 }).build();
                         ConsumerRunner failed = ConsumerRunner.builder(nc, m.queueStream("work.failed").getName(),
                                 m.queueConsumer("work.failed")).handler(d -> {
                                     ledger.deadLettered(d.message().getHeaders().getFirst(
                                             DeadLetter.ORIGINAL_MSG_ID));
                                     return Outcome.ack();
                                 }).build()) {
                        long atCutover = ledger.published.size();
                        Wait.until(TIMEOUT, () -> ledger.published.size() > atCutover + 500,
                                "500 publishes on JetStream only");
                        publishing.set(false);
                        producer.join();
                        publisher.flush(Duration.ofSeconds(30));
                        Wait.until(TIMEOUT, () -> ledger.unaccounted() == 0,
                                "every message processed or dead-lettered");
                        out.println("    " + ledger.progress() + "; JetStream worker skipped "
                                + worker.stats().skippedAsSeen() + " already processed on the AMQP side");
                    }

                    phases.begin("decommission the AMQP side");
                    runner.applyTo(CoreToJetStreamRecipe.DECOMMISSION, ApplyOptions.builder()
                            .confirmIrreversible(CoreToJetStreamRecipe.DECOMMISSION_STEP).build());
                } finally {
                    publishing.set(false);
                    legacyRunning.set(false);
                    producer.join();
                    legacyWorker.join();
                }
            }
            return new SampleReport(ledger.published.size(), ledger.handled(), ledger.duplicates(),
                    ledger.unaccounted(), phases.phases());
        }
    }

    /** The AMQP consumer: processes each message once, records it, dead-letters poison (the broker's DLX). */
    private static void legacyWork(BlockingQueue<String[]> queue, IdempotencyStore processed, Ledger ledger,
                                   AtomicBoolean running) {
        while (running.get() || !queue.isEmpty()) {
            try {
                String[] msg = queue.poll(50, TimeUnit.MILLISECONDS);
                if (msg == null) {
                    continue;
                }
                if (msg[1].startsWith("poison")) {
                    ledger.deadLettered(msg[0]);
                    processed.record(msg[0]);
                    continue;
                }
                if (!processed.seen(msg[0])) {
                    ledger.processed(msg[0], false);
                    processed.record(msg[0]);
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                throw new IllegalStateException("AMQP worker failed", e);
            }
        }
    }

    private static void produce(DualPublisher publisher, Ledger ledger, AtomicBoolean publishing) {
        for (int i = 1; publishing.get(); i++) {
            String body = (i % 97 == 0 ? "poison task " : "task ") + i;
            try {
                DualPublishResult r = publisher.publish("work", body.getBytes(StandardCharsets.UTF_8));
                ledger.published.add(r.msgId());
                Thread.sleep(1);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                throw new IllegalStateException("publish failed", e);
            }
        }
    }

    /** Who published, processed and dead-lettered what. */
    private static final class Ledger {
        final Set<String> published = ConcurrentHashMap.newKeySet();
        final Map<String, Integer> handled = new ConcurrentHashMap<>();
        final Set<String> dead = ConcurrentHashMap.newKeySet();
        long onAmqp;
        long onJetStream;

        synchronized void processed(String id, boolean jetStream) {
            handled.merge(id, 1, Integer::sum);
            if (jetStream) {
                onJetStream++;
            } else {
                onAmqp++;
            }
        }

        void deadLettered(String id) {
            if (id != null && !dead.add(id)) {
                handled.merge(id, 1, Integer::sum); // a second dead letter of the same message is a duplicate
            }
        }

        long handled() {
            return handled.size() + dead.size();
        }

        long duplicates() {
            return handled.values().stream().mapToLong(n -> n - 1).sum()
                    + handled.keySet().stream().filter(dead::contains).count();
        }

        long unaccounted() {
            return published.stream().filter(id -> !handled.containsKey(id) && !dead.contains(id)).count();
        }

        synchronized String progress() {
            return "published " + published.size() + ", processed " + onAmqp + " on AMQP and " + onJetStream
                    + " on JetStream, dead-lettered " + dead.size() + ", waiting " + unaccounted();
        }
    }
}
