package io.natsmigrate.samples;

import io.nats.client.Connection;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.natsmigrate.consumer.ConsumerRunner;
import io.natsmigrate.consumer.DeadLetter;
import io.natsmigrate.consumer.DeadLetterQueue;
import io.natsmigrate.consumer.Delivery;
import io.natsmigrate.consumer.IdempotencyStore;
import io.natsmigrate.consumer.Outcome;
import io.natsmigrate.core.ApplyOptions;
import io.natsmigrate.core.CoreToJetStreamRecipe;
import io.natsmigrate.core.MigrationRunner;
import io.natsmigrate.core.rabbitmq.DeadLetterRoute;
import io.natsmigrate.core.rabbitmq.DelayQueueRelay;
import io.natsmigrate.core.rabbitmq.RabbitDefinitions;
import io.natsmigrate.core.rabbitmq.RabbitMqMigration;
import io.natsmigrate.core.rabbitmq.RabbitMqRecipe;
import io.natsmigrate.dualpublish.DualPublishResult;
import io.natsmigrate.dualpublish.DualPublisher;
import io.natsmigrate.dualpublish.PublishMode;
import io.natsmigrate.samples.AmqpSide.Verdict;
import io.natsmigrate.testkit.NatsServer;
import io.natsmigrate.testkit.RabbitMqBroker;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A RabbitMQ work queue with a dead-letter exchange and a TTL + dead-letter retry queue moves to JetStream, from
 * a real broker: its definitions are exported from the running broker and translated; the publisher
 * dual-publishes through the real AMQP client; the worker cuts over with an idempotency store; poison messages are
 * dead-lettered on both sides; flaky ones are retried after the retry queue's TTL on both sides (on JetStream by
 * message schedules); the AMQP queues are deleted at decommission.
 */
final class RabbitMqSample implements Sample {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final String[] AMQP_QUEUES = {"work", "work.retry", "work.failed"};

    @Override
    public String name() {
        return "rabbitmq";
    }

    @Override
    public String description() {
        return "a RabbitMQ work queue with dead-lettering and a delayed-retry queue moves from a real broker to"
                + " JetStream";
    }

    @Override
    public SampleReport run(PrintStream out) throws Exception {
        PhaseTimer phases = new PhaseTimer(out);
        phases.begin("start RabbitMQ with the application's definitions, and nats-server");
        try (RabbitMqBroker rabbit = RabbitMqBroker.start(); NatsServer server = NatsServer.start();
             Connection nc = server.connect(); AmqpSide amqp = new AmqpSide(rabbit.amqpUri())) {
            try (InputStream in = RabbitMqSample.class.getResourceAsStream("/rabbitmq-work-queue.json")) {
                rabbit.importDefinitions(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            out.println("    RabbitMQ " + rabbit.version() + " at " + rabbit.amqpUri());

            phases.begin("export the broker's definitions and translate them");
            RabbitMqMigration m = RabbitMqRecipe.from(RabbitDefinitions.parse(rabbit.exportDefinitions()))
                    .delayQueues("work.retry")
                    .decommission(ctx -> amqp.deleteQueues(AMQP_QUEUES)).build();
            out.println("    queue work -> stream " + m.queueStream("work").getName() + " (max deliver "
                    + m.queueConsumer("work").getMaxDeliver() + "); delay queue work.retry -> schedules after "
                    + m.delayRoute("work.retry").delay().toMillis() + " ms on " + m.delayRoute("work.retry")
                    .delayStream());
            m.report().toText().lines().forEach(l -> out.println("    " + l));
            DeadLetterRoute route = m.deadLetterRoutes().get(0);

            WorkLedger ledger = new WorkLedger();
            try (MigrationRunner runner = m.plan().runner(nc).instanceId("sample").build();
                 DualPublisher publisher = DualPublisher.builder()
                         .legacy((key, headers, data, msgId) -> amqp.publish("tasks", key, msgId, data))
                         .jetStream(nc, m.ingestStream().getName())
                         .subjectMapping(key -> m.subject("tasks", key))
                         .followPlan(nc, m.plan().name()).build()) {
                IdempotencyStore processed = IdempotencyStore.open(nc, "work_processed", Duration.ofHours(1));
                runner.preflight();
                runner.applyTo(CoreToJetStreamRecipe.PROVISION);
                amqp.consume("work", (id, body) -> amqpWork(amqp, id, body, processed, ledger));
                amqp.consume("work.failed", (id, body) -> {
                    ledger.deadLettered(id);
                    return Verdict.ACK;
                });
                AtomicBoolean publishing = new AtomicBoolean(true);
                Thread producer = new Thread(() -> produce(publisher, ledger, publishing), "producer");
                producer.start();
                try {
                    Wait.until(TIMEOUT, () -> ledger.published() > 200, "200 publishes to RabbitMQ");
                    out.println("    " + ledger.progress());

                    phases.begin("dual publish (AMQP + JetStream)");
                    runner.applyTo(CoreToJetStreamRecipe.CUTOVER);
                    Wait.forMode(publisher, PublishMode.DUAL);
                    long before = ledger.published();
                    Wait.until(TIMEOUT, () -> ledger.published() > before + 300, "300 dual publishes");
                    out.println("    " + ledger.progress() + "; " + nc.jetStreamManagement().getStreamInfo(
                            m.queueStream("work").getName()).getStreamState().getMsgCount() + " waiting in"
                            + " JetStream");

                    phases.begin("JetStream only; the AMQP workers drain, the JetStream worker takes over");
                    runner.applyTo(CoreToJetStreamRecipe.JETSTREAM_ONLY);
                    Wait.forMode(publisher, PublishMode.JETSTREAM_ONLY);
                    Wait.until(TIMEOUT, () -> drained(amqp), "RabbitMQ's work, retry and failed queues to drain");
                    amqp.stopWorkers();
                    try (DelayQueueRelay relay = DelayQueueRelay.start(nc, m.delayRoute("work.retry"));
                         DeadLetterQueue dlq = DeadLetterQueue.builder(nc).watch(route.stream(), route.consumer())
                                 .dlqStream(m.dlqStream(), m.dlqPrefix()).build().start();
                         ConsumerRunner worker = ConsumerRunner.builder(nc, route.stream(),
                                 m.queueConsumer("work")).idempotency(processed)
                                 .handler(d -> jetStreamWork(nc, m, d, ledger)).build();
                         ConsumerRunner failed = ConsumerRunner.builder(nc, m.queueStream("work.failed").getName(),
                                 m.queueConsumer("work.failed")).handler(d -> {
                                     ledger.deadLettered(d.message().getHeaders().getFirst(
                                             DeadLetter.ORIGINAL_MSG_ID));
                                     return Outcome.ack();
                                 }).build()) {
                        long atCutover = ledger.published();
                        Wait.until(TIMEOUT, () -> ledger.published() > atCutover + 300,
                                "300 publishes on JetStream only");
                        publishing.set(false);
                        producer.join();
                        publisher.flush(Duration.ofSeconds(30));
                        Wait.until(TIMEOUT, () -> ledger.unaccounted() == 0,
                                "every message processed or dead-lettered");
                        out.println("    " + ledger.progress() + "; JetStream worker skipped "
                                + worker.stats().skippedAsSeen() + " already processed on the AMQP side; relay"
                                + " scheduled " + relay.scheduled() + " retries");
                    }

                    phases.begin("decommission the AMQP side (its queues are deleted)");
                    runner.applyTo(CoreToJetStreamRecipe.DECOMMISSION, ApplyOptions.builder()
                            .confirmIrreversible(CoreToJetStreamRecipe.DECOMMISSION_STEP).build());
                } finally {
                    publishing.set(false);
                    producer.join();
                }
            }
            return new SampleReport(ledger.published(), ledger.handled(), ledger.duplicates(),
                    ledger.unaccounted(), phases.phases());
        }
    }

    private static boolean drained(AmqpSide amqp) {
        try {
            return amqp.drained(AMQP_QUEUES);
        } catch (Exception e) {
            throw new IllegalStateException("could not read RabbitMQ's queue depths", e);
        }
    }

    /**
     * The AMQP worker: poison is rejected (RabbitMQ dead-letters it to work.failed); a flaky task fails its first
     * attempt and is sent to the retry queue, from which RabbitMQ returns it after the TTL; the rest is processed
     * once and recorded, so the JetStream worker can skip it later.
     */
    private static Verdict amqpWork(AmqpSide amqp, String id, String body, IdempotencyStore processed,
                                    WorkLedger ledger) throws Exception {
        if (body.startsWith("poison")) {
            processed.record(id);
            return Verdict.REJECT;
        }
        if (body.startsWith("flaky") && ledger.firstAttempt(id)) {
            amqp.publish("retry", "work", id, body.getBytes(StandardCharsets.UTF_8));
            return Verdict.ACK;
        }
        if (!processed.seen(id)) {
            ledger.processed(id, false);
            processed.record(id);
        }
        return Verdict.ACK;
    }

    /**
     * The JetStream worker, the same logic: poison is terminated (the DeadLetterQueue stores it, and work.failed's
     * stream sources it); a flaky task's first attempt is published to the retry exchange's subject, and the delay
     * queue relay brings it back after the TTL. A retried message carries its task id in {@code Task-Id} (its
     * {@code Nats-Msg-Id} would be a duplicate of the original's within the ingest stream's window).
     */
    private static Outcome jetStreamWork(Connection nc, RabbitMqMigration m, Delivery d, WorkLedger ledger)
            throws Exception {
        Headers h = d.message().getHeaders();
        String id = h != null && h.getFirst(WorkLedger.TASK_ID) != null ? h.getFirst(WorkLedger.TASK_ID) : d.msgId();
        String body = new String(d.message().getData(), StandardCharsets.UTF_8);
        if (body.startsWith("poison")) {
            return Outcome.term("cannot parse " + body); // basic.reject, no requeue
        }
        if (body.startsWith("flaky") && ledger.firstAttempt(id)) {
            nc.jetStream().publish(NatsMessage.builder().subject(m.subject("retry", "work"))
                    .headers(new Headers().put(WorkLedger.TASK_ID, id)).data(d.message().getData()).build());
            return Outcome.ack();
        }
        ledger.processed(id, true);
        return Outcome.ack();
    }

    private static void produce(DualPublisher publisher, WorkLedger ledger, AtomicBoolean publishing) {
        for (int i = 1; publishing.get(); i++) {
            String body = (i % 97 == 0 ? "poison task " : i % 31 == 0 ? "flaky task " : "task ") + i;
            try {
                DualPublishResult r = publisher.publish("work", body.getBytes(StandardCharsets.UTF_8));
                ledger.published(r.msgId());
                Thread.sleep(1);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                throw new IllegalStateException("publish failed", e);
            }
        }
    }
}
