package io.natsmigrate.core.rabbitmq;

import io.natsmigrate.core.rabbitmq.RabbitDefinitions.Binding;
import io.natsmigrate.core.rabbitmq.RabbitDefinitions.Exchange;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Exchange-to-exchange bindings as more filters for the queues downstream. A message published to exchange
 * {@code S} with key {@code r} reaches a queue bound to {@code D} when every binding on a path
 * {@code S -> ... -> D -> queue} routes {@code r} (the key does not change on the way). So the queue's stream also
 * sources {@code <prefix>.S.<r>} for the keys all of those bindings accept: the intersection of their patterns,
 * each binding read as a topic pattern of its source exchange's type (fanout: {@code #}; direct: the key itself).
 * Loops are followed once, as RabbitMQ routes a message through each exchange once.
 */
final class ExchangeBindings {

    private final ExchangeTable exchanges;
    private final List<Binding> edges;

    /** {@code edges}: the exchange-to-exchange bindings whose both ends are routable. */
    ExchangeBindings(ExchangeTable exchanges, List<Binding> edges) {
        this.exchanges = exchanges;
        this.edges = List.copyOf(edges);
    }

    /**
     * The filters, on exchanges upstream of {@code exchange}, of a queue bound to {@code exchange} with
     * {@code key}; none when no exchange binds to it.
     */
    List<String> upstreamFilters(String subjectPrefix, Exchange exchange, String key) {
        Optional<String> own = TopicPatterns.of(exchange.type(), key);
        List<String> out = new ArrayList<>();
        if (own.isPresent()) {
            Set<String> path = new LinkedHashSet<>(List.of(exchange.name()));
            walk(subjectPrefix, exchange.name(), own.get(), path, out);
        }
        return out;
    }

    private void walk(String subjectPrefix, String downstream, String pattern, Set<String> path, List<String> out) {
        for (Binding e : edges) {
            if (!e.destination().equals(downstream) || path.contains(e.source())) {
                continue;
            }
            Exchange source = exchanges.routable(e.source()).orElseThrow();
            Optional<String> accepts = TopicPatterns.of(source.type(), e.routingKey())
                    .flatMap(p -> TopicPatterns.intersect(p, pattern));
            if (accepts.isEmpty()) {
                continue; // no key passes both: this path routes nothing
            }
            String base = subjectPrefix + "." + AmqpSubjects.word(source.name().isEmpty()
                    ? AmqpSubjects.DEFAULT_EXCHANGE : source.name());
            AmqpSubjects.topicFilters(accepts.get())
                    .ifPresent(fs -> fs.forEach(f -> out.add(AmqpSubjects.join(base, f))));
            path.add(source.name());
            walk(subjectPrefix, source.name(), accepts.get(), path, out);
            path.remove(source.name());
        }
    }
}
