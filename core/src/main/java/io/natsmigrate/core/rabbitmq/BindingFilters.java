package io.natsmigrate.core.rabbitmq;

import io.natsmigrate.core.rabbitmq.RabbitDefinitions.Binding;
import io.natsmigrate.core.rabbitmq.RabbitDefinitions.Exchange;
import io.natsmigrate.core.rabbitmq.TranslationReport.ElementKind;
import io.natsmigrate.core.rabbitmq.TranslationReport.Item;
import io.natsmigrate.primitives.Subjects;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A binding as the ingest-stream filters that select what it routes, per exchange type, and a queue's filters
 * made disjoint.
 *
 * <ul>
 *   <li>direct: the key exactly; fanout: everything of the exchange, the empty key included;</li>
 *   <li>topic: {@code *} as {@code *}, a trailing {@code #} as the prefix alone plus {@code >}
 *       ({@link AmqpSubjects#topicFilters}).</li>
 * </ul>
 *
 * A queue's stream sources the ingest stream once per filter, and JetStream copies a message once per source
 * whose filter it matches, while RabbitMQ delivers it to the queue once however many of its bindings match. So
 * a filter covered by another of the same queue is dropped ({@code a.*} under {@code a.>}); filters that overlap
 * without one covering the other cannot be made disjoint and are reported.
 */
final class BindingFilters {

    private BindingFilters() {
    }

    /** The filters of binding {@code b} from routable exchange {@code e}, or empty (reported) if none exist. */
    static Optional<List<String>> of(String subjectPrefix, Exchange e, Binding b, ReportCollector report) {
        String base = subjectPrefix + "." + AmqpSubjects.word(e.name().isEmpty() ? AmqpSubjects.DEFAULT_EXCHANGE
                : e.name());
        return switch (e.type()) {
            case "fanout" -> Optional.of(List.of(base, AmqpSubjects.join(base, ">")));
            case "direct" -> Optional.of(List.of(AmqpSubjects.join(base, AmqpSubjects.key(b.routingKey()))));
            default -> {
                Optional<List<String>> relative = AmqpSubjects.topicFilters(b.routingKey());
                if (relative.isEmpty()) {
                    report.untranslated(Item.of(b, "pattern " + b.routingKey() + " has '#' before its last word;"
                            + " NATS '>' must be last. Split it into bindings whose '#' is last"));
                    yield Optional.empty();
                }
                yield Optional.of(relative.get().stream().map(f -> AmqpSubjects.join(base, f)).toList());
            }
        };
    }

    /**
     * {@code filters} without those another one covers, sorted; pairs that still overlap are reported as a
     * difference of {@code queue}.
     */
    static Set<String> disjoint(String queue, Set<String> filters, ReportCollector report) {
        Set<String> kept = new TreeSet<>();
        for (String f : filters) {
            boolean covered = filters.stream().anyMatch(g -> !g.equals(f) && Subjects.covers(g, f)
                    && !(Subjects.covers(f, g) && f.compareTo(g) < 0));
            if (!covered) {
                kept.add(f);
            }
        }
        List<String> list = new ArrayList<>(kept);
        for (int i = 0; i < list.size(); i++) {
            for (int j = i + 1; j < list.size(); j++) {
                if (Subjects.overlap(list.get(i), list.get(j))) {
                    report.difference(ElementKind.QUEUE, queue, "bindings " + list.get(i) + " and " + list.get(j)
                            + " overlap without one covering the other: a message matching both is copied to the"
                            + " stream twice (RabbitMQ delivers it once). The Msg-Id makes the copies"
                            + " recognisable: consume with an IdempotencyStore, or change a binding so neither"
                            + " overlaps");
                }
            }
        }
        return kept;
    }
}
