package io.natsmigrate.core.rabbitmq;

import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.core.DurableSource;
import io.natsmigrate.core.Gate;
import io.natsmigrate.core.Gates;
import io.natsmigrate.core.MigrationPlan;
import io.natsmigrate.core.OverlapPhases;
import io.natsmigrate.core.Step;
import io.natsmigrate.core.Steps;
import io.natsmigrate.core.rabbitmq.RabbitDefinitions.Binding;
import io.natsmigrate.core.rabbitmq.RabbitDefinitions.Queue;
import io.natsmigrate.core.rabbitmq.TranslationReport.ElementKind;
import io.natsmigrate.core.rabbitmq.TranslationReport.Item;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One translation of one vhost: exchanges, queues (arguments merged with policies), bindings, dead-letter
 * routes, then the plan. Elements are taken in name order, so names, filters and the report never depend on the
 * export's order.
 */
final class Translation {

    private final RabbitDefinitions definitions;
    private final TranslationSettings settings;
    private final ReportCollector report = new ReportCollector();
    private final Map<String, QueueModel> queues = new TreeMap<>();
    private final StreamNaming names = new StreamNaming();
    private Sourcing sourcing;

    Translation(RabbitDefinitions definitions, TranslationSettings settings) {
        this.definitions = definitions;
        this.settings = settings;
    }

    RabbitMqMigration run() {
        String vhost = settings.vhost();
        boolean known = definitions.vhosts().isEmpty()
                || definitions.vhosts().stream().anyMatch(v -> vhost.equals(v.name()));
        if (!known) {
            throw new DefinitionsException("Vhost \"" + vhost + "\" is not in the export (it has "
                    + definitions.vhosts().stream().map(RabbitDefinitions.Vhost::name).sorted().toList()
                    + "): pass one of those to vhost(...)");
        }
        requireNamed();
        String prefix = settings.subjectPrefix();
        String ingest = settings.ingestStream();
        sourcing = new Sourcing(settings.durableSources());
        names.reserve(ingest);
        PolicyMatcher policies = new PolicyMatcher(definitions.policies().stream()
                .filter(p -> vhost.equals(p.vhost())).toList(), report);
        List<RabbitDefinitions.Exchange> vhostExchanges = definitions.exchanges().stream()
                .filter(e -> vhost.equals(e.vhost())).sorted(Comparator.comparing(RabbitDefinitions.Exchange::name))
                .toList();
        ExchangeTable exchanges = new ExchangeTable(vhost, vhostExchanges, policies, prefix, report);
        List<Queue> vhostQueues = definitions.queues().stream().filter(q -> vhost.equals(q.vhost()))
                .sorted(Comparator.comparing(Queue::name)).toList();
        // "/" always exists; another vhost that nothing in an export without a vhost list names is a typo.
        if (vhostQueues.isEmpty() && vhostExchanges.isEmpty() && definitions.vhosts().isEmpty()
                && !vhost.equals("/")) {
            throw new DefinitionsException("Vhost \"" + vhost + "\" has no exchange and no queue in the export:"
                    + " check the vhost name, or export definitions that include them");
        }
        List<String> unknownDelayQueues = settings.delayQueues().stream()
                .filter(d -> vhostQueues.stream().noneMatch(q -> q.name().equals(d))).sorted().toList();
        if (!unknownDelayQueues.isEmpty()) {
            throw new DefinitionsException("delayQueues(...) names " + unknownDelayQueues + ", not queues of vhost \""
                    + vhost + "\" in the export (it has " + vhostQueues.stream().map(Queue::name).toList()
                    + "): check the names");
        }
        PolicyMatcher operatorPolicies = new PolicyMatcher(definitions.operatorPolicies().stream()
                .filter(p -> vhost.equals(p.vhost())).toList(), report);
        vhostQueues.forEach(q -> queue(q, policies, operatorPolicies));
        if (vhostQueues.isEmpty()) {
            report.difference(ElementKind.VHOST, vhost, "no queue: messages published to its exchanges go nowhere,"
                    + " as in RabbitMQ; the plan provisions the ingest stream only");
        }
        queues.values().forEach(q -> q.filters.add(AmqpSubjects.subject(prefix, "", q.queue.name())));
        List<Binding> vhostBindings = definitions.bindings().stream().filter(b -> vhost.equals(b.vhost()))
                .sorted(Comparator.comparing(Binding::source).thenComparing(Binding::destination)
                        .thenComparing(Binding::routingKey).thenComparing(b -> String.valueOf(b.destinationType())))
                .toList();
        ExchangeBindings upstream = new ExchangeBindings(exchanges, vhostBindings.stream()
                .filter(b -> !"queue".equals(b.destinationType()))
                .filter(b -> exchangeToExchange(b, exchanges)).toList());
        vhostBindings.stream().filter(b -> "queue".equals(b.destinationType()))
                .forEach(b -> binding(b, exchanges, upstream));
        Map<String, StreamConfiguration> streams = new LinkedHashMap<>();
        Map<String, ConsumerConfiguration> consumers = new LinkedHashMap<>();
        DeadLetterRouting deadLetters = new DeadLetterRouting(exchanges, queues.values(), settings.dlqStream(),
                settings.dlqPrefix(), report);
        List<DeadLetterRoute> routes = new ArrayList<>();
        queues.values().forEach(q -> deadLetters.routeOf(q).ifPresent(routes::add));
        List<DelayRoute> delays = new ArrayList<>();
        queues.values().stream().filter(q -> q.delay)
                .forEach(q -> deadLetters.delayRouteOf(q, settings).ifPresent(delays::add));
        for (QueueModel q : queues.values()) {
            Set<String> filters = BindingFilters.disjoint(q.queue.name(), q.filters, report);
            q.filters.clear();
            q.filters.addAll(filters);
            streams.put(q.queue.name(), q.stream(ingest, settings.dlqStream(), settings.ingestMaxAge(), sourcing));
            consumers.put(q.queue.name(), q.consumer());
        }
        StreamConfiguration.Builder ingestBuilder = StreamConfiguration.builder().name(ingest)
                .subjects(prefix + ".>").retentionPolicy(RetentionPolicy.Interest)
                .maxAge(settings.ingestMaxAge()).duplicateWindow(Duration.ofMinutes(2));
        Optional<StreamConfiguration> delayStream = DelayStream.of(delays, !exchanges.delayed().isEmpty(), settings);
        delayStream.ifPresent(d -> ingestBuilder.sources(DelayStream.firedSource(settings, sourcing)));
        if (!settings.durableSources() && !queues.isEmpty()) {
            report.difference(ElementKind.VHOST, vhost, "durable sources off: the streams source through the"
                    + " server's ephemeral consumers, which can lose the messages in flight when a stream leader"
                    + " fails (the ingest stream has interest retention); turn them on with nats-server 2.14+");
        }
        StreamConfiguration ingestConfig = ingestBuilder.build();
        List<DurableSource> durableSources = sourcing.durableSources();
        return new RabbitMqMigration(plan(ingestConfig, streams, consumers, !routes.isEmpty(), delayStream,
                durableSources),
                report.report(), prefix, ingestConfig, streams, consumers, routes, delays, durableSources,
                settings.dlqStream(), settings.dlqPrefix(), new DelayedExchanges(exchanges.delayed(),
                settings.delayPrefix(), prefix, settings.maxMessageDelay()));
    }

    private MigrationPlan plan(StreamConfiguration ingest, Map<String, StreamConfiguration> streams,
                               Map<String, ConsumerConfiguration> consumers, boolean deadLetters,
                               Optional<StreamConfiguration> delayStream, List<DurableSource> durableSources) {
        return OverlapPhases.addTo(MigrationPlan.named(settings.planName()), "RabbitMQ", p -> {
            // Before the ingest stream that sources it (a source on a missing stream is retried only slowly).
            // Origins first, then the durable consumers on them, then the streams that source through them.
            delayStream.ifPresent(d -> p.step(stream(d)));
            durableSources.stream().filter(d -> d.sourcing().equals(ingest.getName()))
                    .forEach(d -> p.step(Steps.durableSource(d)));
            p.step(stream(ingest));
            if (deadLetters) {
                // Before the queue streams that source it: a source on a missing stream is retried only slowly.
                // The DeadLetterQueue adopts this stream (same name, subjects, retention).
                p.step(stream(StreamConfiguration.builder().name(settings.dlqStream())
                        .subjects(settings.dlqPrefix() + ".>").retentionPolicy(RetentionPolicy.Limits).build()));
            }
            durableSources.stream().filter(d -> !d.sourcing().equals(ingest.getName()))
                    .forEach(d -> p.step(Steps.durableSource(d)));
            streams.forEach((q, s) -> p.step(stream(s)));
            streams.forEach((q, s) -> p.step(Steps.consumer(s.getName(), consumers.get(q))));
            if (!streams.isEmpty()) {
                p.step(Steps.marker("queue streams copy from " + ingest.getName(),
                        sourcesAttached(ingest.getName(), streams)));
            }
        }, List.of(), List.of(), List.of(), settings.decommission()).build();
    }

    /** A stream step with the recipe's replicas, or the server's default when it set none. */
    private Step stream(StreamConfiguration config) {
        return settings.replicas() == 0 ? Steps.streamWithClusterReplicas(config)
                : Steps.stream(StreamConfiguration.builder(config).replicas(settings.replicas()).build());
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

    private static void named(String kind, String name, String elementVhost) {
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
    private static Gate sourcesAttached(String ingest, Map<String, StreamConfiguration> streams) {
        long wanted = streams.values().stream().flatMap(s -> s.getSources().stream())
                .filter(s -> s.getName().equals(ingest)).count();
        return Gates.consumersAttached(ingest, wanted, Duration.ofSeconds(30));
    }

    private void queue(Queue q, PolicyMatcher policies, PolicyMatcher operatorPolicies) {
        if (q.exclusive()) {
            report.untranslated(ElementKind.QUEUE, q.name(), "exclusive: it lives and dies with one connection;"
                    + " use an ordered (ephemeral) consumer in that application instead of a stream");
            return;
        }
        if (q.name().startsWith("amq.")) {
            // Found by importing real exports into RabbitMQ: it skips these, so there is nothing to migrate.
            report.untranslated(ElementKind.QUEUE, q.name(), "server-named queue (the amq. prefix is reserved):"
                    + " it belonged to the connection that declared it, and RabbitMQ itself does not import it;"
                    + " that application gets an ordered (ephemeral) consumer instead of a stream");
            return;
        }
        QueueModel m = new QueueModel(q, names.stream(settings.streamPrefix() + q.name()),
                StreamNaming.consumer(q.name()));
        String type = QueueModel.queueType(q.arguments());
        Map<String, Object> args = QueueArguments.merge(QueueArguments.merge(q.arguments(),
                policies.forQueue(q.name(), type).orElse(null), report),
                operatorPolicies.forQueue(q.name(), type).orElse(null), report);
        List<Item> rejected = m.read(args, report);
        if (!rejected.isEmpty()) {
            rejected.forEach(report::untranslated);
            return;
        }
        if (settings.delayQueues().contains(q.name())) {
            if (m.ttl == null || m.dlx == null) {
                throw new DefinitionsException("Queue \"" + q.name() + "\" is named a delay queue but has no "
                        + (m.ttl == null ? "x-message-ttl" : "x-dead-letter-exchange") + " (argument or policy):"
                        + " a delay queue needs both; remove it from delayQueues(...) or fix the export");
            }
            m.delay = true;
        }
        if (q.autoDelete()) {
            report.difference(ElementKind.QUEUE, q.name(), "auto-delete: the stream and consumer stay when the last"
                    + " consumer leaves; delete them when the application no longer needs them");
        }
        if (!q.durable()) {
            report.difference(ElementKind.QUEUE, q.name(), "transient: the stream uses memory storage, so its"
                    + " messages are lost when the server restarts, as they would be in RabbitMQ");
        }
        queues.put(q.name(), m);
    }

    /** Whether an exchange-to-exchange binding can be followed; reported when not. */
    private boolean exchangeToExchange(Binding b, ExchangeTable exchanges) {
        if (!"exchange".equals(b.destinationType())) {
            report.untranslated(Item.of(b, "destination type " + b.destinationType() + " is not known"));
            return false;
        }
        for (String end : List.of(b.source(), b.destination())) {
            if (exchanges.routable(end).isEmpty()) {
                report.untranslated(Item.of(b, exchanges.whyNotRoutable(end)));
                return false;
            }
        }
        if (TopicPatterns.of(exchanges.routable(b.source()).orElseThrow().type(), b.routingKey()).isEmpty()) {
            report.untranslated(Item.of(b, "key " + b.routingKey() + " cannot be expressed as a filter (a '#'"
                    + " before the last word, or a direct key with a '*' or '#' word)"));
            return false;
        }
        return true;
    }

    private void binding(Binding b, ExchangeTable exchanges, ExchangeBindings upstream) {
        QueueModel q = queues.get(b.destination());
        Optional<RabbitDefinitions.Exchange> e = exchanges.routable(b.source());
        if (q == null) {
            boolean inExport = definitions.queues().stream()
                    .anyMatch(x -> x.name().equals(b.destination()) && settings.vhost().equals(x.vhost()));
            report.untranslated(Item.of(b, inExport ? "queue " + b.destination() + " was not translated (see its"
                    + " items)" : "queue " + b.destination() + " is not in the export"));
            return;
        }
        if (e.isEmpty()) {
            report.untranslated(Item.of(b, exchanges.whyNotRoutable(b.source())));
            return;
        }
        BindingFilters.of(settings.subjectPrefix(), e.get(), b, report).ifPresent(filters -> {
            q.filters.addAll(filters);
            q.filters.addAll(upstream.upstreamFilters(settings.subjectPrefix(), e.get(), b.routingKey()));
            q.bindings.add(b);
        });
    }
}
