package io.natsmigrate.core.rabbitmq;

import io.natsmigrate.core.rabbitmq.RabbitDefinitions.Exchange;
import io.natsmigrate.core.rabbitmq.TranslationReport.ElementKind;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * {@code x-dead-letter-exchange} as a {@link DeadLetterRoute}: the queues that exchange would route a dead letter
 * to source the DLQ subject of the dead-lettering queue's consumer.
 */
final class DeadLetterRouting {

    private final ExchangeTable exchanges;
    private final Collection<QueueModel> queues;
    private final String dlqStream;
    private final String dlqPrefix;
    private final ReportCollector report;

    DeadLetterRouting(ExchangeTable exchanges, Collection<QueueModel> queues, String dlqStream, String dlqPrefix,
                      ReportCollector report) {
        this.exchanges = exchanges;
        this.queues = queues;
        this.dlqStream = dlqStream;
        this.dlqPrefix = dlqPrefix;
        this.report = report;
    }

    /**
     * The route of a delay queue's messages after the TTL, when its dead-letter exchange was translated; otherwise
     * reported. Call after every {@link #routeOf}, which adds the dead letters a queue receives.
     */
    Optional<DelayRoute> delayRouteOf(QueueModel q, TranslationSettings settings) {
        String name = q.queue.name();
        Optional<Exchange> found = exchanges.routable(q.dlx);
        if (found.isEmpty()) {
            report.untranslated(ElementKind.QUEUE, name, "delay queue: its dead-letter exchange "
                    + exchanges.whyNotRoutable(q.dlx) + "; nowhere to send its messages after the TTL");
            return Optional.empty();
        }
        report.difference(ElementKind.QUEUE, name, "delay queue: each message is scheduled (nats-server 2.12 message"
                + " schedules) for the time it was stored plus " + q.ttl + " ms and then published to "
                + (q.dlx.isEmpty() ? "the default exchange" : "exchange " + q.dlx) + (q.dlrk != null ? " with key "
                + q.dlrk : " with its own key") + ". Run a DelayQueueRelay for it: until it runs, messages wait in the"
                + " queue's stream (never lost, only late). Nothing else may consume the queue");
        if (q.dlrk == null && !q.deadLetterSources.isEmpty()) {
            report.difference(ElementKind.QUEUE, name, "delay queue fed by dead letters without an"
                    + " x-dead-letter-routing-key: a dead letter carries the DLQ's subject, not its routing key, so"
                    + " the relay cannot route it and leaves it in the queue (logged); set the key");
        }
        return Optional.of(new DelayRoute(name, q.streamName, q.consumerName, Duration.ofMillis(q.ttl),
                settings.delayStream(), settings.subjectPrefix(), settings.delayPrefix(), found.get().name(),
                q.dlrk));
    }

    /** The route of {@code q}'s dead letters, when it has a dead-letter exchange that was translated. */
    Optional<DeadLetterRoute> routeOf(QueueModel q) {
        if (q.dlx == null || q.delay) {
            return Optional.empty();
        }
        String name = q.queue.name();
        Optional<Exchange> found = exchanges.routable(q.dlx);
        if (found.isEmpty()) {
            report.untranslated(ElementKind.QUEUE, name, "dead-letter exchange: " + exchanges.whyNotRoutable(q.dlx)
                    + "; its dead letters stay in " + dlqStream);
            return Optional.empty();
        }
        Exchange x = found.get();
        List<String> keys = new ArrayList<>();
        if (q.dlrk != null) {
            keys.add(q.dlrk);
        } else {
            // RabbitMQ keeps each message's own routing key; the direct keys it was bound with stand for them.
            keys.add(name);
            q.bindings.stream().filter(b -> exchanges.routable(b.source()).map(e -> e.type().equals("direct"))
                    .orElse(false)).forEach(b -> keys.add(b.routingKey()));
            if (!"fanout".equals(x.type())) {
                report.difference(ElementKind.QUEUE, name, "no x-dead-letter-routing-key: RabbitMQ routes each dead"
                        + " letter by its own routing key; here the queues of " + q.dlx + " matching this queue's"
                        + " direct keys " + keys + " receive them");
            }
        }
        List<String> targets = new ArrayList<>();
        String dlqSubject = dlqPrefix + "." + q.streamName + "." + q.consumerName;
        for (QueueModel t : queues) {
            boolean routed = x.name().isEmpty() ? keys.contains(t.queue.name()) : t.bindings.stream()
                    .filter(b -> b.source().equals(x.name()))
                    .anyMatch(b -> keys.stream().anyMatch(k -> routes(x, b.routingKey(), k)));
            if (routed) {
                targets.add(t.queue.name());
                t.deadLetterSources.add(dlqSubject);
            }
        }
        if (!q.log) {
            report.difference(ElementKind.QUEUE, name, "dead-lettering queue: limits retention instead of"
                    + " work-queue, because a work-queue stream deletes a message on term() before the DLQ can copy"
                    + " it; consumed messages stay until the max age");
        }
        if (q.overflowDrops()) {
            report.difference(ElementKind.QUEUE, name, "messages dropped by max-length are removed, not"
                    + " dead-lettered (JetStream discards without an advisory)");
        }
        if (q.ttl != null) {
            report.difference(ElementKind.QUEUE, name, "messages expired by the TTL are removed, not dead-lettered;"
                    + " only rejected (term) and max-delivery messages reach " + q.dlx + ". If nothing consumes this"
                    + " queue (a delay queue), name it in RabbitMqRecipe.delayQueues(...)");
        }
        return Optional.of(new DeadLetterRoute(name, q.streamName, q.consumerName, dlqSubject, targets));
    }

    private static boolean routes(Exchange x, String bindingKey, String key) {
        return switch (x.type()) {
            case "fanout" -> true;
            case "direct" -> bindingKey.equals(key);
            default -> AmqpSubjects.topicMatches(bindingKey, key);
        };
    }
}
