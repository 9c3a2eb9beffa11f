package io.natsmigrate.core.rabbitmq;

import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.Source;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.core.CoreToJetStreamRecipe;
import io.natsmigrate.core.Gate;
import io.natsmigrate.core.GateResult;
import io.natsmigrate.core.MigrationPlan;
import io.natsmigrate.core.Names;
import io.natsmigrate.core.Steps;
import io.natsmigrate.core.rabbitmq.RabbitDefinitions.Binding;
import io.natsmigrate.core.rabbitmq.RabbitDefinitions.Exchange;
import io.natsmigrate.core.rabbitmq.RabbitDefinitions.Policy;
import io.natsmigrate.core.rabbitmq.RabbitDefinitions.Queue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Turns a RabbitMQ definitions export into a JetStream migration plan for one vhost.
 *
 * <ul>
 *   <li>An <em>ingest</em> stream (interest retention) takes every exchange's subjects,
 *       {@code <prefix>.<exchange>.<routing key words>} (see {@link AmqpSubjects}); publishers write there.</li>
 *   <li>Each queue becomes a stream that sources the ingest stream through one filter per binding, so a message
 *       routed to three queues is copied to three streams, as in RabbitMQ, and a message routed nowhere is
 *       dropped (no interest). Work-queue retention, or limits for {@code x-queue-type: stream} and for queues
 *       with a dead-letter exchange (a work-queue stream deletes a message on {@code term()} before the DLQ can
 *       copy it); {@code
 *       x-message-ttl} becomes max age, {@code x-max-length} max messages, {@code x-max-length-bytes} max bytes,
 *       {@code x-overflow} the discard policy, {@code x-delivery-limit} the consumer's max deliveries; policies
 *       apply by pattern and priority, and where both set a limit the lower wins, as in RabbitMQ.</li>
 *   <li>Each queue gets a durable pull consumer with explicit acks.</li>
 *   <li>Direct bindings match the key exactly, fanout bindings everything of the exchange, topic bindings
 *       translate {@code *} to {@code *} and a trailing {@code #} to {@code >} (plus the prefix alone).</li>
 *   <li>{@code x-dead-letter-exchange}: the queues bound to that exchange source the DLQ subject of the
 *       dead-lettering queue's consumer ({@link DeadLetterRoute}).</li>
 * </ul>
 *
 * Headers exchanges, exchange-to-exchange bindings, alternate exchanges, priorities, queue expiry, single active
 * consumer and unknown arguments are not translated; {@link TranslationReport} lists each with the reason.
 *
 * <pre>{@code
 * RabbitMqMigration m = RabbitMqRecipe.from(RabbitDefinitions.read(Path.of("definitions.json")))
 *         .vhost("/").subjectPrefix("amqp").build();
 * System.out.println(m.report().toText());
 * try (MigrationRunner runner = m.plan().runner(nc).build()) {
 *     runner.applyTo(CoreToJetStreamRecipe.PROVISION);
 * }
 * }</pre>
 */
public final class RabbitMqRecipe {

    private static final Set<String> TUNING_ARGUMENTS = Set.of("x-queue-mode", "x-queue-master-locator",
            "x-queue-leader-locator", "x-quorum-initial-group-size", "x-queue-version", "x-max-in-memory-length",
            "x-max-in-memory-bytes", "x-stream-max-segment-size-bytes", "x-initial-cluster-size");
    private static final Set<String> TUNING_POLICY_KEYS = Set.of("ha-mode", "ha-params", "ha-sync-mode",
            "queue-mode", "queue-master-locator", "queue-leader-locator", "queue-version", "max-in-memory-length",
            "max-in-memory-bytes", "initial-cluster-size", "target-group-size");

    private final RabbitDefinitions definitions;
    private String vhost = "/";
    private String subjectPrefix = "amqp";
    private String ingestStream;
    private String streamPrefix = "Q_";
    private String dlqStream = "DLQ";
    private String dlqPrefix = "dlq";
    private Duration ingestMaxAge = Duration.ofHours(24);
    private Steps.Action decommission = ctx -> { };

    private RabbitMqRecipe(RabbitDefinitions definitions) {
        this.definitions = definitions;
    }

    /** Starts a translation of {@code definitions}. */
    public static RabbitMqRecipe from(RabbitDefinitions definitions) {
        return new RabbitMqRecipe(Objects.requireNonNull(definitions, "definitions"));
    }

    /** The vhost to translate (default {@code /}). */
    public RabbitMqRecipe vhost(String vhost) {
        this.vhost = Objects.requireNonNull(vhost, "vhost");
        return this;
    }

    /** First subject token of every translated subject (default {@code amqp}). */
    public RabbitMqRecipe subjectPrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        io.natsmigrate.primitives.Subjects.requirePublishSubject(prefix);
        this.subjectPrefix = prefix;
        return this;
    }

    /** Name of the ingest stream (default {@code AMQP}, or {@code AMQP_<vhost>} for other vhosts). */
    public RabbitMqRecipe ingestStream(String name) {
        this.ingestStream = Names.requireStreamName("ingest stream", name);
        return this;
    }

    /** Prefix of the queue streams' names (default {@code Q_}). */
    public RabbitMqRecipe streamPrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix (\"\" for none)");
        if (!prefix.isEmpty()) {
            Names.requireStreamName("stream prefix", prefix);
        }
        this.streamPrefix = prefix;
        return this;
    }

    /** The DLQ stream and subject prefix of the consumer-patterns {@code DeadLetterQueue} (default DLQ, dlq). */
    public RabbitMqRecipe deadLetters(String stream, String subjectPrefix) {
        this.dlqStream = Names.requireStreamName("DLQ stream", stream);
        this.dlqPrefix = Names.requireToken("DLQ subject prefix", subjectPrefix);
        return this;
    }

    /** How long the ingest stream keeps a message no queue stream has copied yet (default 24 h). */
    public RabbitMqRecipe ingestMaxAge(Duration maxAge) {
        Objects.requireNonNull(maxAge, "maxAge");
        if (maxAge.isZero() || maxAge.isNegative()) {
            throw new IllegalArgumentException("ingestMaxAge must be positive, was " + maxAge);
        }
        this.ingestMaxAge = maxAge;
        return this;
    }

    /** What decommissioning RabbitMQ does (default: only records it). Irreversible. */
    public RabbitMqRecipe decommission(Steps.Action action) {
        this.decommission = Objects.requireNonNull(action, "action");
        return this;
    }

    /**
     * Translates.
     *
     * @throws DefinitionsException when the vhost is not in the export or has no queue to translate
     */
    public RabbitMqMigration build() {
        return new Translation().run();
    }

    /** One translation run; keeps the report as it goes. */
    private final class Translation {
        private final List<TranslationReport.Item> untranslated = new ArrayList<>();
        private final List<TranslationReport.Item> differences = new ArrayList<>();
        private final Map<String, Exchange> exchanges = new LinkedHashMap<>();
        private final Map<String, QueueModel> queues = new LinkedHashMap<>();
        private final Set<String> streamNames = new LinkedHashSet<>();

        RabbitMqMigration run() {
            boolean known = definitions.vhosts().isEmpty()
                    || definitions.vhosts().stream().anyMatch(v -> vhost.equals(v.name()));
            if (!known) {
                throw new DefinitionsException("Vhost \"" + vhost + "\" is not in the export (it has "
                        + definitions.vhosts().stream().map(RabbitDefinitions.Vhost::name).toList()
                        + "): pass one of those to vhost(...)");
            }
            requireNamed();
            String ingest = ingestStream != null ? ingestStream
                    : vhost.equals("/") ? "AMQP" : "AMQP_" + streamName(vhost);
            streamNames.add(ingest);
            exchanges.put("", new Exchange("", vhost, "direct", true, false, false, Map.of()));
            definitions.exchanges().stream().filter(e -> vhost.equals(e.vhost())).forEach(this::exchange);
            definitions.queues().stream().filter(q -> vhost.equals(q.vhost())).forEach(this::queue);
            if (queues.isEmpty()) {
                throw new DefinitionsException("Vhost \"" + vhost + "\" has no queue to translate: check the vhost"
                        + " name, or export definitions that include the queues");
            }
            queues.values().forEach(q -> q.filters.add(subjectPrefix + "." + AmqpSubjects.word(
                    AmqpSubjects.DEFAULT_EXCHANGE) + "." + AmqpSubjects.key(q.queue.name())));
            definitions.bindings().stream().filter(b -> vhost.equals(b.vhost())).forEach(this::binding);
            List<DeadLetterRoute> routes = new ArrayList<>();
            queues.values().forEach(q -> deadLetters(q).ifPresent(routes::add));

            StreamConfiguration ingestConfig = StreamConfiguration.builder().name(ingest)
                    .subjects(subjectPrefix + ".>").retentionPolicy(RetentionPolicy.Interest)
                    .maxAge(ingestMaxAge).duplicateWindow(Duration.ofMinutes(2)).build();
            Map<String, StreamConfiguration> streams = new LinkedHashMap<>();
            Map<String, ConsumerConfiguration> consumers = new LinkedHashMap<>();
            for (QueueModel q : queues.values()) {
                streams.put(q.queue.name(), q.stream(ingest));
                consumers.put(q.queue.name(), q.consumer());
            }
            MigrationPlan plan = MigrationPlan.named("rabbitmq-" + (vhost.equals("/") ? "default" : vhost.replaceAll("[^A-Za-z0-9_-]", "_")))
                    .phase(CoreToJetStreamRecipe.PROVISION, p -> {
                        p.step(Steps.stream(ingestConfig));
                        if (!routes.isEmpty()) {
                            // Before the queue streams that source it: a source on a missing stream is retried
                            // only slowly. The DeadLetterQueue adopts this stream (same name, subjects, retention).
                            p.step(Steps.stream(StreamConfiguration.builder().name(dlqStream)
                                    .subjects(dlqPrefix + ".>").retentionPolicy(RetentionPolicy.Limits).build()));
                        }
                        streams.forEach((q, s) -> p.step(Steps.stream(s)));
                        streams.forEach((q, s) -> p.step(Steps.consumer(s.getName(), consumers.get(q))));
                        p.step(Steps.marker("queue streams copy from " + ingest, sourcesAttached(ingest, streams)));
                    })
                    .phase(CoreToJetStreamRecipe.DUAL_PUBLISH, p -> p.step(Steps.marker(
                            "publishers write to RabbitMQ and JetStream")))
                    .phase(CoreToJetStreamRecipe.SHADOW, p -> p.step(Steps.marker("JetStream consumers verified")))
                    .phase(CoreToJetStreamRecipe.CUTOVER, p -> p.step(Steps.marker("consumers read from JetStream")))
                    .phase(CoreToJetStreamRecipe.JETSTREAM_ONLY, p -> p.step(Steps.marker(
                            "publishers write to JetStream only")))
                    .phase(CoreToJetStreamRecipe.DECOMMISSION, p -> p.step(Steps.irreversibleAction(
                            CoreToJetStreamRecipe.DECOMMISSION_STEP, decommission)))
                    .build();
            return new RabbitMqMigration(plan, new TranslationReport(untranslated, differences), subjectPrefix,
                    ingestConfig, streams, consumers, routes, dlqStream, dlqPrefix);
        }

        /** Elements without a name or vhost cannot be placed: refuse the export rather than skip them silently. */
        private void requireNamed() {
            definitions.exchanges().forEach(e -> named("exchange", e.name(), e.vhost()));
            definitions.queues().forEach(q -> named("queue", q.name(), q.vhost()));
            definitions.bindings().forEach(b -> {
                named("binding source", b.source(), b.vhost());
                named("binding destination", b.destination(), b.vhost());
            });
        }

        private void named(String kind, String name, String elementVhost) {
            if (name == null || elementVhost == null) {
                throw new DefinitionsException("The export has a " + kind + " without " + (name == null ? "a name"
                        : "a vhost (" + name + ")") + ": fix the export, or export it again from the management"
                        + " plugin");
            }
        }

        /**
         * The ingest stream has interest retention: until a queue stream's source consumer exists there, a message
         * for that queue has no interest and is dropped. Publishing may only start once they all exist.
         */
        private Gate sourcesAttached(String ingest, Map<String, StreamConfiguration> streams) {
            long wanted = streams.values().stream().flatMap(s -> s.getSources().stream())
                    .filter(s -> s.getName().equals(ingest)).count();
            return Gate.of("every queue stream has its source consumers on " + ingest, Duration.ofSeconds(30),
                    nc -> {
                        long attached = nc.jetStreamManagement().getStreamInfo(ingest).getStreamState()
                                .getConsumerCount();
                        return attached >= wanted ? GateResult.pass(attached + " source consumers")
                                : GateResult.fail(attached + " of " + wanted + " source consumers attached");
                    });
        }

        private void exchange(Exchange e) {
            String type = e.type() == null ? "" : e.type();
            if (!Set.of("direct", "topic", "fanout").contains(type)) {
                untranslated.add(item("exchange", e.name(), type.equals("headers")
                        ? "headers exchanges route on header values; JetStream routes on subjects only. Put the"
                        + " routed header values into the routing key or subject"
                        : "exchange type " + type + " (a plugin) has no JetStream equivalent; its bindings are left"
                        + " out"));
                return;
            }
            exchanges.put(e.name(), e);
            if (e.arguments().containsKey("alternate-exchange")) {
                untranslated.add(item("exchange", e.name(), "alternate exchange " + e.arguments()
                        .get("alternate-exchange") + ": JetStream drops messages no stream or consumer wants; to"
                        + " keep unroutable messages, add a stream on " + subjectPrefix + "." + AmqpSubjects.word(
                        e.name()) + ".> with limits retention"));
            }
            if (e.internal()) {
                differences.add(item("exchange", e.name(), "internal: any client with publish permission can"
                        + " publish to its subjects; deny them in the account's permissions"));
            }
            if (e.autoDelete() || !e.durable()) {
                differences.add(item("exchange", e.name(), "auto-delete or transient: subjects need no"
                        + " declaration and never go away"));
            }
        }

        private void queue(Queue q) {
            if (q.exclusive()) {
                untranslated.add(item("queue", q.name(), "exclusive: it lives and dies with one connection; use an"
                        + " ordered (ephemeral) consumer in that application instead of a stream"));
                return;
            }
            QueueModel m = new QueueModel(q, streamName(streamPrefix + q.name()), consumerName(q.name()));
            Map<String, Object> args = new LinkedHashMap<>(q.arguments());
            Policy policy = policyFor(q.name());
            if (policy != null) {
                policy.definition().forEach((k, v) -> {
                    if (TUNING_POLICY_KEYS.contains(k)) {
                        differences.add(item("policy", policy.name(), k + " is storage or replication tuning"
                                + " with no JetStream equivalent; set the stream's replicas instead"));
                    } else {
                        args.merge("x-" + k, v, (arg, pol) -> stricter("x-" + k, arg, pol));
                    }
                });
            }
            for (var e : args.entrySet()) {
                if (!m.argument(e.getKey(), e.getValue())) {
                    return;
                }
            }
            if (q.autoDelete()) {
                differences.add(item("queue", q.name(), "auto-delete: the stream and consumer stay when the last"
                        + " consumer leaves; delete them when the application no longer needs them"));
            }
            if (!q.durable()) {
                differences.add(item("queue", q.name(), "transient: the stream uses memory storage, so its"
                        + " messages are lost when the server restarts, as they would be in RabbitMQ"));
            }
            queues.put(q.name(), m);
        }

        /** The policy RabbitMQ would apply: highest priority among those whose pattern matches. */
        private Policy policyFor(String queue) {
            return definitions.policies().stream()
                    .filter(p -> vhost.equals(p.vhost()))
                    .filter(p -> Set.of("all", "queues", "classic_queues", "quorum_queues").contains(p.applyTo()))
                    .filter(p -> {
                        try {
                            return Pattern.compile(p.pattern()).matcher(queue).find();
                        } catch (PatternSyntaxException e) {
                            untranslated.add(item("policy", p.name(), "pattern " + p.pattern()
                                    + " is not a valid regular expression: " + e.getDescription()));
                            return false;
                        }
                    })
                    .max(Comparator.comparingInt(Policy::priority))
                    .orElse(null);
        }

        private void binding(Binding b) {
            String name = b.source() + " -> " + b.destination() + " (" + b.routingKey() + ")";
            if (!"queue".equals(b.destinationType())) {
                untranslated.add(item("binding", name, "exchange-to-exchange bindings have no JetStream"
                        + " equivalent; bind the queues to the source exchange directly"));
                return;
            }
            QueueModel q = queues.get(b.destination());
            Exchange e = exchanges.get(b.source());
            if (q == null || e == null) {
                untranslated.add(item("binding", name, q == null ? "its queue was not translated (see above) or"
                        + " is not in the export" : "its exchange was not translated (see above) or is not in the"
                        + " export"));
                return;
            }
            String base = subjectPrefix + "." + AmqpSubjects.word(b.source().isEmpty()
                    ? AmqpSubjects.DEFAULT_EXCHANGE : b.source()) + ".";
            switch (e.type()) {
                case "fanout" -> q.filters.add(base + ">");
                case "direct" -> q.filters.add(base + AmqpSubjects.key(b.routingKey()));
                default -> {
                    Optional<List<String>> filters = AmqpSubjects.topicFilters(b.routingKey());
                    if (filters.isEmpty()) {
                        untranslated.add(item("binding", name, "pattern " + b.routingKey() + " has '#' before its"
                                + " last word; NATS '>' must be last. Split it into bindings whose '#' is last"));
                    } else {
                        filters.get().forEach(f -> q.filters.add(base + f));
                    }
                }
            }
            q.bindings.add(b);
        }

        private Optional<DeadLetterRoute> deadLetters(QueueModel q) {
            if (q.dlx == null) {
                return Optional.empty();
            }
            Exchange x = exchanges.get(q.dlx);
            if (x == null) {
                untranslated.add(item("queue", q.queue.name(), "dead-letter exchange " + q.dlx + " was not"
                        + " translated or is not in the export; its dead letters stay in " + dlqStream));
                return Optional.empty();
            }
            List<String> keys = new ArrayList<>();
            if (q.dlrk != null) {
                keys.add(q.dlrk);
            } else {
                // RabbitMQ keeps each message's own routing key; the direct keys it was bound with stand for them.
                keys.add(q.queue.name());
                q.bindings.stream().filter(b -> "direct".equals(exchanges.get(b.source()).type()))
                        .forEach(b -> keys.add(b.routingKey()));
                if (!"fanout".equals(x.type())) {
                    differences.add(item("queue", q.queue.name(), "no x-dead-letter-routing-key: RabbitMQ routes"
                            + " each dead letter by its own routing key; here the queues of " + q.dlx + " matching"
                            + " this queue's direct keys " + keys + " receive them"));
                }
            }
            List<String> targets = new ArrayList<>();
            String dlqSubject = dlqPrefix + "." + q.streamName + "." + q.consumerName;
            for (QueueModel t : queues.values()) {
                boolean routed = x.name().isEmpty() ? keys.contains(t.queue.name()) : t.bindings.stream()
                        .filter(b -> b.source().equals(x.name()))
                        .anyMatch(b -> keys.stream().anyMatch(k -> routes(x, b.routingKey(), k)));
                if (routed) {
                    targets.add(t.queue.name());
                    t.deadLetterSources.add(dlqSubject);
                }
            }
            if (!q.log) {
                differences.add(item("queue", q.queue.name(), "dead-lettering queue: limits retention instead of"
                        + " work-queue, because a work-queue stream deletes a message on term() before the DLQ can"
                        + " copy it; consumed messages stay until the max age"));
            }
            if (q.overflowDrops) {
                differences.add(item("queue", q.queue.name(), "messages dropped by max-length are removed, not"
                        + " dead-lettered (JetStream discards without an advisory)"));
            }
            if (q.ttl != null) {
                differences.add(item("queue", q.queue.name(), "messages expired by the TTL are removed, not"
                        + " dead-lettered; only rejected (term) and max-delivery messages reach " + q.dlx));
            }
            return Optional.of(new DeadLetterRoute(q.queue.name(), q.streamName, q.consumerName, dlqSubject,
                    targets));
        }

        private boolean routes(Exchange x, String bindingKey, String key) {
            return switch (x.type()) {
                case "fanout" -> true;
                case "direct" -> bindingKey.equals(key);
                default -> AmqpSubjects.topicMatches(bindingKey, key);
            };
        }

        private Object stricter(String key, Object argument, Object policy) {
            if (argument instanceof Number a && policy instanceof Number p) {
                return Math.min(a.longValue(), p.longValue());
            }
            return argument;
        }

        private String streamName(String name) {
            String clean = name.replaceAll("[^A-Za-z0-9_-]", "_");
            if (clean.equals(name) && streamNames.add(clean)) {
                return clean;
            }
            String unique = clean + "_" + shortHash(name);
            streamNames.add(unique);
            return unique;
        }

        private String consumerName(String queue) {
            String clean = queue.replaceAll("[^A-Za-z0-9_-]", "_");
            return clean.equals(queue) ? clean : clean + "_" + shortHash(queue);
        }

        private TranslationReport.Item item(String kind, String name, String reason) {
            return new TranslationReport.Item(kind, name, reason);
        }

        /** One queue as it is being translated. */
        private final class QueueModel {
            final Queue queue;
            final String streamName;
            final String consumerName;
            final Set<String> filters = new LinkedHashSet<>();
            final Set<String> deadLetterSources = new LinkedHashSet<>();
            final List<Binding> bindings = new ArrayList<>();
            Long ttl;
            Long maxLength;
            Long maxBytes;
            Long deliveryLimit;
            DiscardPolicy discard = DiscardPolicy.Old;
            boolean overflowDrops = false;
            boolean log;
            String dlx;
            String dlrk;

            QueueModel(Queue queue, String streamName, String consumerName) {
                this.queue = queue;
                this.streamName = streamName;
                this.consumerName = consumerName;
            }

            /** Takes one argument; false (and reported) when the queue cannot be translated because of it. */
            boolean argument(String key, Object value) {
                switch (key) {
                    case "x-message-ttl" -> ttl = number(key, value);
                    case "x-max-length" -> {
                        maxLength = number(key, value);
                        overflowDrops = discard == DiscardPolicy.Old;
                    }
                    case "x-max-length-bytes" -> {
                        maxBytes = number(key, value);
                        overflowDrops = discard == DiscardPolicy.Old;
                    }
                    case "x-overflow" -> {
                        String v = String.valueOf(value);
                        discard = v.equals("drop-head") ? DiscardPolicy.Old : DiscardPolicy.New;
                        overflowDrops = discard == DiscardPolicy.Old && (maxLength != null || maxBytes != null);
                        if (!v.equals("drop-head")) {
                            differences.add(item("queue", queue.name(), "x-overflow " + v + ": a full stream"
                                    + " refuses new copies, but publishers are not told (they write to the ingest"
                                    + " stream, which keeps the message until there is room)"));
                        }
                    }
                    case "x-dead-letter-exchange" -> dlx = String.valueOf(value);
                    case "x-dead-letter-routing-key" -> dlrk = String.valueOf(value);
                    case "x-delivery-limit" -> deliveryLimit = number(key, value);
                    case "x-queue-type" -> {
                        log = "stream".equals(value);
                        if (log) {
                            differences.add(item("queue", queue.name(), "stream queue: limits retention, the"
                                    + " messages stay after they are consumed"));
                        }
                    }
                    case "x-max-priority" -> {
                        return reject(key, "priorities: JetStream delivers in stream order. Use one queue (stream"
                                + " or filter) per priority and consume the higher one first");
                    }
                    case "x-expires" -> {
                        return reject(key, "queue expiry: streams do not expire when unused. Give the consumer an"
                                + " inactive threshold and the stream a max age instead");
                    }
                    case "x-single-active-consumer" -> {
                        return reject(key, "single active consumer: use a consumer priority group with the"
                                + " pinned-client policy (nats-server 2.11+) instead");
                    }
                    default -> {
                        if (TUNING_ARGUMENTS.contains(key)) {
                            differences.add(item("queue", queue.name(), key + " is storage or replication tuning"
                                    + " with no JetStream equivalent; it is ignored"));
                        } else {
                            return reject(key, "argument not known to the translation; nothing was guessed");
                        }
                    }
                }
                return true;
            }

            private boolean reject(String key, String reason) {
                untranslated.add(item("queue", queue.name(), key + ": " + reason));
                return false;
            }

            private Long number(String key, Object value) {
                if (value instanceof Number n) {
                    return n.longValue();
                }
                throw new DefinitionsException("Queue \"" + queue.name() + "\": " + key + " is " + value
                        + ", not a number; fix the export");
            }

            StreamConfiguration stream(String ingest) {
                List<Source> sources = new ArrayList<>();
                filters.forEach(f -> sources.add(Source.builder().name(ingest).filterSubject(f).build()));
                deadLetterSources.forEach(f -> sources.add(Source.builder().name(dlqStream).filterSubject(f)
                        .build()));
                StreamConfiguration.Builder b = StreamConfiguration.builder().name(streamName)
                        .sources(sources)
                        .retentionPolicy(log || dlx != null ? RetentionPolicy.Limits : RetentionPolicy.WorkQueue)
                        .storageType(queue.durable() ? StorageType.File : StorageType.Memory)
                        .discardPolicy(discard);
                if (ttl != null) {
                    b.maxAge(Duration.ofMillis(ttl));
                } else if (dlx != null && maxLength == null && maxBytes == null) {
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

            ConsumerConfiguration consumer() {
                ConsumerConfiguration.Builder b = ConsumerConfiguration.builder().durable(consumerName)
                        .ackPolicy(AckPolicy.Explicit);
                if (deliveryLimit != null) {
                    // RabbitMQ counts redeliveries; JetStream counts deliveries, the first one included.
                    b.maxDeliver(deliveryLimit + 1);
                }
                return b.build();
            }
        }
    }

    private static String shortHash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 3);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }
}
