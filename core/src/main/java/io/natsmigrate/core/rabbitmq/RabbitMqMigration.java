package io.natsmigrate.core.rabbitmq;

import io.nats.client.Message;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.core.DurableSource;
import io.natsmigrate.core.MigrationPlan;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Objects;

/**
 * The result of a RabbitMQ import: the plan, what could not be translated, and the names an application needs
 * (the subject to publish an exchange's message on, the stream and consumer of each queue, the dead-letter
 * wiring). Built by {@link RabbitMqRecipe}.
 */
public final class RabbitMqMigration {

    private final MigrationPlan plan;
    private final TranslationReport report;
    private final String subjectPrefix;
    private final StreamConfiguration ingest;
    private final Map<String, StreamConfiguration> queueStreams;
    private final Map<String, ConsumerConfiguration> queueConsumers;
    private final List<DeadLetterRoute> deadLetterRoutes;
    private final List<DelayRoute> delayRoutes;
    private final List<DurableSource> durableSources;
    private final DelayedExchanges delayedExchanges;
    private final String dlqStream;
    private final String dlqPrefix;

    RabbitMqMigration(MigrationPlan plan, TranslationReport report, String subjectPrefix, StreamConfiguration ingest,
                      Map<String, StreamConfiguration> queueStreams,
                      Map<String, ConsumerConfiguration> queueConsumers, List<DeadLetterRoute> deadLetterRoutes,
                      List<DelayRoute> delayRoutes, List<DurableSource> durableSources, String dlqStream,
                      String dlqPrefix, DelayedExchanges delayedExchanges) {
        this.plan = plan;
        this.report = report;
        this.subjectPrefix = subjectPrefix;
        this.ingest = ingest;
        this.queueStreams = Map.copyOf(queueStreams);
        this.queueConsumers = Map.copyOf(queueConsumers);
        this.deadLetterRoutes = List.copyOf(deadLetterRoutes);
        this.delayRoutes = List.copyOf(delayRoutes);
        this.durableSources = List.copyOf(durableSources);
        this.delayedExchanges = delayedExchanges;
        this.dlqStream = dlqStream;
        this.dlqPrefix = dlqPrefix;
    }

    /** The plan: provision, dual-publish, shadow, cutover, jetstream-only, decommission. */
    public MigrationPlan plan() {
        return plan;
    }

    /** What was left out or behaves differently. */
    public TranslationReport report() {
        return report;
    }

    /** The subject for a message published to {@code exchange} ("" for the default exchange) with {@code key}. */
    public String subject(String exchange, String routingKey) {
        Objects.requireNonNull(exchange, "exchange");
        Objects.requireNonNull(routingKey, "routingKey");
        return AmqpSubjects.subject(subjectPrefix, exchange, routingKey);
    }

    /** The stream publishers write to (every exchange's subjects); queue streams source from it. */
    public StreamConfiguration ingestStream() {
        return ingest;
    }

    /** The stream of a translated queue. */
    public StreamConfiguration queueStream(String queue) {
        return known(queueStreams, queue);
    }

    /** The durable consumer of a translated queue. */
    public ConsumerConfiguration queueConsumer(String queue) {
        return known(queueConsumers, queue);
    }

    /**
     * The subjects a queue's stream takes, in source order: its bindings' filters on the ingest stream, then the
     * DLQ subjects of the queues that dead-letter to it; the same whether the stream sources through durable
     * consumers (whose filter is on the consumer) or through filters on the sources.
     */
    public List<String> queueFilters(String queue) {
        return known(queueStreams, queue).getSources().stream().map(src -> src.getFilterSubject() != null
                ? src.getFilterSubject()
                : durableSources.stream().filter(d -> d.origin().equals(src.getName()) && src.getConsumerSource()
                        != null && d.consumer().equals(src.getConsumerSource().getName()))
                        .map(DurableSource::filterSubject).findFirst().orElse(null)).toList();
    }

    /** Translated queues by name. */
    public Map<String, StreamConfiguration> queueStreams() {
        return queueStreams;
    }

    /** One entry per queue with a dead-letter exchange that could be wired. */
    public List<DeadLetterRoute> deadLetterRoutes() {
        return deadLetterRoutes;
    }

    /** One entry per delay queue ({@link RabbitMqRecipe#delayQueues}); run a {@link DelayQueueRelay} for each. */
    public List<DelayRoute> delayRoutes() {
        return delayRoutes;
    }

    /** The translated delayed-message exchanges ({@code x-delayed-message} with a direct, topic or fanout type). */
    public Set<String> delayedExchanges() {
        return delayedExchanges.names();
    }

    /**
     * A message published to a delayed-message exchange with RabbitMQ's {@code x-delay}: publish the returned
     * message with {@code JetStream.publish} (it is stored by the delay stream, acked there) and the server
     * delivers it to the exchange's subject after {@code delay}, as a message schedule (nats-server 2.12). The
     * headers travel; its {@code Nats-Msg-Id} de-duplicates the schedule and reaches the consumer as
     * {@link DelayQueueRelay#ORIGINAL_MSG_ID} (the server drops it from a fired message).
     *
     * @param headers may be null
     * @throws DefinitionsException     when {@code exchange} is not a translated delayed-message exchange
     * @throws IllegalArgumentException when {@code delay} is not positive or longer than
     *                                  {@link RabbitMqRecipe#maxMessageDelay}
     */
    public Message delayedMessage(String exchange, String routingKey, byte[] data, Duration delay,
                                  Headers headers) {
        return delayedExchanges.delayed(exchange, routingKey, data, delay, headers);
    }

    /** The route of one delay queue. */
    public DelayRoute delayRoute(String queue) {
        Objects.requireNonNull(queue, "queue");
        return delayRoutes.stream().filter(r -> r.queue().equals(queue)).findFirst().orElseThrow(() ->
                new DefinitionsException("Queue \"" + queue + "\" is not a translated delay queue: name it in"
                        + " RabbitMqRecipe.delayQueues(...) (delay queues: " + delayRoutes.stream()
                        .map(DelayRoute::queue).toList() + ")"));
    }

    /**
     * The durable consumers the streams source through, on the ingest, DLQ and delay streams (empty with
     * {@link RabbitMqRecipe#durableSources} off). They hold the ingest stream's interest: deleting one drops what
     * it had not delivered yet.
     */
    public List<DurableSource> durableSources() {
        return durableSources;
    }

    /** The DLQ stream the dead-letter routes expect (consumer-patterns' {@code DeadLetterQueue}). */
    public String dlqStream() {
        return dlqStream;
    }

    /** The DLQ's subject prefix. */
    public String dlqPrefix() {
        return dlqPrefix;
    }

    private static <T> T known(Map<String, T> map, String queue) {
        T value = map.get(queue);
        if (value == null) {
            throw new DefinitionsException("Queue \"" + queue + "\" was not translated: it is not in the export's"
                    + " vhost, or the report lists why it was left out. Translated queues: " + map.keySet());
        }
        return value;
    }
}
