package io.natsmigrate.core.rabbitmq;

import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.Source;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.core.rabbitmq.RabbitDefinitions.Binding;
import io.natsmigrate.core.rabbitmq.RabbitDefinitions.Queue;
import io.natsmigrate.core.rabbitmq.TranslationReport.ElementKind;
import io.natsmigrate.core.rabbitmq.TranslationReport.Item;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One queue as it is translated: its arguments read, its bindings' filters collected, its stream and consumer. */
final class QueueModel {

    private static final Set<String> TUNING_ARGUMENTS = Set.of("x-queue-mode", "x-queue-master-locator",
            "x-queue-leader-locator", "x-quorum-initial-group-size", "x-queue-version", "x-max-in-memory-length",
            "x-max-in-memory-bytes", "x-stream-max-segment-size-bytes", "x-initial-cluster-size",
            "x-stream-filter-size-bytes", "x-quorum-target-group-size");
    /** The priority group that stands for RabbitMQ's single active consumer. */
    static final String SINGLE_ACTIVE_GROUP = "single-active";
    /** How long a pinned client keeps the pin without pulling (the takeover delay). */
    static final Duration PIN_TTL = Duration.ofSeconds(10);
    /** RabbitMQ's x-max-age: a number and one unit, Y (365 days), M (30 days), D, h, m or s. */
    private static final Pattern MAX_AGE = Pattern.compile("(\\d+)([YMDhms])");

    final Queue queue;
    final String streamName;
    final String consumerName;
    final Set<String> filters = new LinkedHashSet<>();
    final Set<String> deadLetterSources = new LinkedHashSet<>();
    final List<Binding> bindings = new ArrayList<>();
    Long ttl;
    Duration maxAge;
    Long maxLength;
    Long maxBytes;
    Long deliveryLimit;
    DiscardPolicy discard = DiscardPolicy.Old;
    boolean log;
    String dlx;
    String dlrk;
    boolean singleActive;
    /** Named in {@link RabbitMqRecipe#delayQueues}: a relay moves its messages on after the TTL. */
    boolean delay;

    QueueModel(Queue queue, String streamName, String consumerName) {
        this.queue = queue;
        this.streamName = streamName;
        this.consumerName = consumerName;
    }

    /** {@code x-queue-type} as RabbitMQ reads it: classic unless the queue says quorum or stream. */
    static String queueType(Map<String, Object> queueArguments) {
        Object t = queueArguments.get("x-queue-type");
        return t == null ? "classic" : String.valueOf(t);
    }

    /** Whether a full queue drops its oldest messages (RabbitMQ's default, drop-head). */
    boolean overflowDrops() {
        return discard == DiscardPolicy.Old && (maxLength != null || maxBytes != null);
    }

    /**
     * Takes every argument (sorted by name). Returns the reasons the queue cannot be translated, all of them;
     * empty when it can. Differences go to {@code report}.
     */
    List<Item> read(Map<String, Object> arguments, ReportCollector report) {
        List<Item> rejected = new ArrayList<>();
        arguments.forEach((key, value) -> {
            String reason = argument(key, value, report);
            if (reason != null) {
                rejected.add(Item.of(ElementKind.QUEUE, queue.name(), key, reason));
            }
        });
        return rejected;
    }

    /** Takes one argument; the reason the queue cannot be translated because of it, or null. */
    private String argument(String key, Object value, ReportCollector report) {
        switch (key) {
            case "x-message-ttl" -> ttl = number(key, value);
            case "x-max-age" -> maxAge = age(value);
            case "x-max-length" -> maxLength = number(key, value);
            case "x-max-length-bytes" -> maxBytes = number(key, value);
            case "x-overflow" -> {
                String v = String.valueOf(value);
                discard = v.equals("drop-head") ? DiscardPolicy.Old : DiscardPolicy.New;
                if (!v.equals("drop-head")) {
                    report.difference(Item.of(ElementKind.QUEUE, queue.name(), key, v + ": a full stream refuses"
                            + " new copies, but publishers are not told (they write to the ingest stream, which"
                            + " keeps the message until there is room)"));
                }
            }
            case "x-dead-letter-exchange" -> dlx = String.valueOf(value);
            case "x-dead-letter-routing-key" -> dlrk = String.valueOf(value);
            case "x-dead-letter-strategy" -> report.difference(Item.of(ElementKind.QUEUE, queue.name(), key,
                    value + ": JetStream dead letters are captured from advisories and stored once by the"
                            + " DeadLetterQueue, whatever the strategy"));
            case "x-delivery-limit" -> deliveryLimit = number(key, value);
            case "x-queue-type" -> {
                log = "stream".equals(value);
                if (log) {
                    report.difference(Item.of(ElementKind.QUEUE, queue.name(), key, "stream queue: limits"
                            + " retention, the messages stay after they are consumed"));
                }
            }
            case "x-max-priority" -> {
                return "priorities: JetStream delivers in stream order. Use one queue (stream or filter) per"
                        + " priority and consume the higher one first";
            }
            case "x-expires" -> {
                return "queue expiry: streams do not expire when unused. Give the consumer an inactive threshold"
                        + " and the stream a max age instead";
            }
            case "x-single-active-consumer" -> {
                singleActive = Boolean.TRUE.equals(value) || "true".equals(String.valueOf(value));
                if (singleActive) {
                    report.difference(Item.of(ElementKind.QUEUE, queue.name(), key, "a priority group \""
                            + SINGLE_ACTIVE_GROUP + "\" with the pinned-client policy (nats-server 2.11+): one"
                            + " client receives until it has not pulled for " + PIN_TTL.toSeconds() + " s, then"
                            + " another takes over (RabbitMQ switches when the consumer's channel closes). Clients"
                            + " pull with that group; ConsumerRunner does so by itself"));
                }
            }
            default -> {
                if (!TUNING_ARGUMENTS.contains(key)) {
                    return "argument not known to the translation; nothing was guessed";
                }
                report.difference(Item.of(ElementKind.QUEUE, queue.name(), key, "storage or replication tuning"
                        + " with no JetStream equivalent; it is ignored"));
            }
        }
        return null;
    }

    private Long number(String key, Object value) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        throw new DefinitionsException("Queue \"" + queue.name() + "\": " + key + " is " + value
                + ", not a number; fix the export");
    }

    private Duration age(Object value) {
        Matcher m = MAX_AGE.matcher(String.valueOf(value));
        if (!m.matches()) {
            throw new DefinitionsException("Queue \"" + queue.name() + "\": x-max-age is " + value + ", not a"
                    + " number with one unit (Y, M, D, h, m or s, e.g. 7D); fix the export");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "Y" -> Duration.ofDays(365 * n);
            case "M" -> Duration.ofDays(30 * n);
            case "D" -> Duration.ofDays(n);
            case "h" -> Duration.ofHours(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofSeconds(n);
        };
    }

    /** The queue's stream: sources the ingest stream through its filters, and the DLQ for its dead letters. */
    StreamConfiguration stream(String ingest, String dlqStream, Duration ingestMaxAge, Sourcing sourcing) {
        List<Source> sources = new ArrayList<>();
        filters.forEach(f -> sources.add(sourcing.source(streamName, ingest, f, null)));
        deadLetterSources.forEach(f -> sources.add(sourcing.source(streamName, dlqStream, f, null)));
        StreamConfiguration.Builder b = StreamConfiguration.builder().name(streamName)
                .sources(sources)
                .retentionPolicy(!delay && (log || dlx != null) ? RetentionPolicy.Limits : RetentionPolicy.WorkQueue)
                .storageType(queue.durable() ? StorageType.File : StorageType.Memory)
                .discardPolicy(discard);
        // A delay queue keeps each message until the relay has scheduled it: its TTL is the delay, not an expiry.
        Duration age = ttl != null && !delay ? Duration.ofMillis(ttl) : null;
        if (maxAge != null && (age == null || maxAge.compareTo(age) < 0)) {
            age = maxAge;
        }
        if (age != null) {
            b.maxAge(age);
        } else if (dlx != null && !delay && maxLength == null && maxBytes == null) {
            b.maxAge(ingestMaxAge); // limits retention needs a bound
        }
        if (maxLength != null) {
            b.maxMessages(maxLength);
        }
        if (maxBytes != null) {
            b.maxBytes(maxBytes);
        }
        return b.build();
    }

    /** A durable pull consumer with explicit acks; RabbitMQ's delivery limit counts redeliveries. */
    ConsumerConfiguration consumer() {
        ConsumerConfiguration.Builder b = ConsumerConfiguration.builder().durable(consumerName)
                .ackPolicy(AckPolicy.Explicit);
        if (deliveryLimit != null) {
            // RabbitMQ counts redeliveries; JetStream counts deliveries, the first one included.
            b.maxDeliver(deliveryLimit + 1);
        }
        if (singleActive) {
            b.priorityGroups(SINGLE_ACTIVE_GROUP).priorityPolicy(io.nats.client.api.PriorityPolicy.PinnedClient)
                    .priorityTimeout(PIN_TTL);
        }
        return b.build();
    }
}
