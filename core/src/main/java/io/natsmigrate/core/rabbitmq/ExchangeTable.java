package io.natsmigrate.core.rabbitmq;

import io.natsmigrate.core.rabbitmq.RabbitDefinitions.Exchange;
import io.natsmigrate.core.rabbitmq.RabbitDefinitions.Policy;
import io.natsmigrate.core.rabbitmq.TranslationReport.ElementKind;
import io.natsmigrate.core.rabbitmq.TranslationReport.Item;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The exchanges of one vhost that bindings can be translated from: the declared ones of a routable type, plus the
 * ones every vhost has and exports leave out ({@code amq.direct}, {@code amq.topic}, ..., and the nameless default
 * exchange), whose types RabbitMQ fixes.
 */
final class ExchangeTable {

    /** RabbitMQ's built-in exchanges and their fixed types. */
    static final Map<String, String> BUILT_IN = Map.of("", "direct", "amq.direct", "direct", "amq.fanout", "fanout",
            "amq.topic", "topic", "amq.headers", "headers", "amq.match", "headers", "amq.rabbitmq.trace", "topic");
    private static final Set<String> ROUTABLE = Set.of("direct", "topic", "fanout");
    /** The delayed-message plugin's exchange type; {@code x-delayed-type} says how it routes. */
    static final String DELAYED_MESSAGE = "x-delayed-message";

    private final Map<String, Exchange> declared = new TreeMap<>();
    private final Map<String, Exchange> routable = new TreeMap<>();
    private final Set<String> delayed = new TreeSet<>();

    ExchangeTable(String vhost, List<Exchange> vhostExchanges, PolicyMatcher policies, String subjectPrefix,
                  ReportCollector report) {
        BUILT_IN.forEach((name, type) -> declared.put(name, new Exchange(name, vhost, type, true, false,
                name.equals("amq.rabbitmq.trace"), Map.of())));
        vhostExchanges.forEach(e -> declared.put(e.name(), e));
        vhostExchanges.forEach(e -> translate(e, policies, subjectPrefix, report));
        BUILT_IN.keySet().stream().filter(n -> vhostExchanges.stream().noneMatch(e -> e.name().equals(n)))
                .map(declared::get).filter(e -> ROUTABLE.contains(e.type())).forEach(e -> routable.put(e.name(), e));
    }

    /** A routable (direct, topic or fanout) exchange, built-in or declared. */
    Optional<Exchange> routable(String name) {
        return Optional.ofNullable(routable.get(name));
    }

    /** The delayed-message exchanges (plugin type {@code x-delayed-message}) that were translated. */
    Set<String> delayed() {
        return Collections.unmodifiableSet(delayed);
    }

    /** Why bindings from {@code name} are not translated, when it is not routable. */
    String whyNotRoutable(String name) {
        Exchange e = declared.get(name);
        if (e == null) {
            return "exchange " + name + " is not in the export; export the vhost's exchanges too";
        }
        return (BUILT_IN.containsKey(name) ? "built-in " : "") + "exchange " + name + " of type " + e.type()
                + " was not translated" + (BUILT_IN.containsKey(name) ? ": " + typeReason(e.type())
                : " (see its item)");
    }

    private void translate(Exchange declaredExchange, PolicyMatcher policies, String subjectPrefix,
                           ReportCollector report) {
        Exchange e = declaredExchange;
        if (DELAYED_MESSAGE.equals(e.type())) {
            Object routesAs = e.arguments().get("x-delayed-type");
            if (routesAs == null || !ROUTABLE.contains(String.valueOf(routesAs))) {
                report.untranslated(ElementKind.EXCHANGE, e.name(), "delayed-message exchange routing as "
                        + (routesAs == null ? "nothing (it has no x-delayed-type)" : routesAs) + ": only direct,"
                        + " topic and fanout routing can be translated");
                return;
            }
            e = new Exchange(e.name(), e.vhost(), String.valueOf(routesAs), e.durable(), e.autoDelete(),
                    e.internal(), e.arguments());
            delayed.add(e.name());
            report.difference(ElementKind.EXCHANGE, e.name(), "delayed-message exchange, routing as " + routesAs
                    + ": publish a delayed message with RabbitMqMigration.delayedMessage(...), which makes it a"
                    + " message schedule (nats-server 2.12); a message published on the exchange's subject is"
                    + " delivered at once (the x-delay header is not read)");
        }
        String type = e.type() == null ? "" : e.type();
        if (!ROUTABLE.contains(type)) {
            if (!BUILT_IN.containsKey(e.name())) { // a built-in one only matters where a binding uses it
                report.untranslated(ElementKind.EXCHANGE, e.name(), typeReason(type));
            }
            return;
        }
        routable.put(e.name(), e);
        Optional<Policy> policy = policies.forExchange(e.name());
        Object alternate = e.arguments().get("alternate-exchange");
        String from = "its arguments";
        if (alternate == null && policy.isPresent()) {
            alternate = policy.get().definition().get("alternate-exchange");
            from = "policy " + policy.get().name();
        }
        if (alternate != null) {
            report.untranslated(Item.of(ElementKind.EXCHANGE, e.name(), "alternate-exchange", alternate + " (from "
                    + from + "): RabbitMQ sends what no binding matches there; JetStream drops what no stream"
                    + " wants, and a filter cannot say \"no other binding matched\". To keep unroutable messages,"
                    + " add a stream on " + AmqpSubjects.join(subjectPrefix + "." + AmqpSubjects.word(e.name()), ">")
                    + " with limits retention and read it as " + alternate + "'s queues did"));
        }
        policy.ifPresent(p -> new TreeMap<>(p.definition()).keySet().stream()
                .filter(k -> k.startsWith("federation-upstream"))
                .forEach(k -> report.untranslated(Item.of(ElementKind.POLICY, String.valueOf(p.name()), k,
                        "federation links are not migrated; the exchanges are translated without them. Connect"
                                + " the systems with a leaf node or stream sources instead"))));
        if (e.internal()) {
            report.difference(ElementKind.EXCHANGE, e.name(), "internal: any client with publish permission can"
                    + " publish to its subjects; deny them in the account's permissions");
        }
        if (e.autoDelete() || !e.durable()) {
            report.difference(ElementKind.EXCHANGE, e.name(), "auto-delete or transient: subjects need no"
                    + " declaration and never go away");
        }
    }

    private static String typeReason(String type) {
        return type.equals("headers")
                ? "headers exchanges route on header values; JetStream routes on subjects only. Put the routed header"
                + " values into the routing key or subject"
                : "exchange type " + type + " (a plugin) has no JetStream equivalent; its bindings are left out";
    }
}
