package io.natsmigrate.core.rabbitmq;

import io.natsmigrate.core.internal.Json;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a RabbitMQ import could not translate, and what it translated with a difference worth knowing. Nothing
 * in {@link #untranslated()} is part of the plan; nothing is guessed.
 *
 * <p>The report is deterministic: each list is sorted (by element kind, name, argument, reason) and holds every
 * item once, so the same export gives the same report, byte for byte, in every JVM. {@link #toText()} is for
 * people, {@link #toJson()} for tools (a CI gate that fails on a new untranslated item).
 *
 * @param untranslated features left out, each with the reason and what to do instead
 * @param differences  translated, but behaving differently on JetStream
 */
public record TranslationReport(List<Item> untranslated, List<Item> differences) {

    private static final Comparator<Item> ORDER = Comparator.comparing(Item::kind)
            .thenComparing(Item::name)
            .thenComparing(i -> i.argument() == null ? "" : i.argument())
            .thenComparing(Item::reason);

    public TranslationReport {
        untranslated = untranslated.stream().distinct().sorted(ORDER).toList();
        differences = differences.stream().distinct().sorted(ORDER).toList();
    }

    /** Whether everything was translated exactly. */
    public boolean isComplete() {
        return untranslated.isEmpty() && differences.isEmpty();
    }

    /** A readable listing. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append("Not translated (").append(untranslated.size()).append("):\n");
        untranslated.forEach(i -> sb.append("  - ").append(i).append('\n'));
        sb.append("Translated with differences (").append(differences.size()).append("):\n");
        differences.forEach(i -> sb.append("  - ").append(i).append('\n'));
        return sb.toString();
    }

    /**
     * The report as JSON: {@code {"untranslated": [...], "differences": [...]}}, each item with {@code kind},
     * {@code name}, {@code argument} (the queue argument or policy key, or null), {@code binding} (source,
     * destination, destination type and routing key, for bindings) and {@code reason}.
     */
    public String toJson() {
        return Json.pretty(this);
    }

    /** The kind of element an item is about. */
    public enum ElementKind {
        VHOST, EXCHANGE, QUEUE, BINDING, POLICY;

        /** Lower case, as in the text report. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * A binding an item is about.
     *
     * @param source          the exchange ("" for the default exchange)
     * @param destination     the queue or exchange
     * @param destinationType {@code queue} or {@code exchange}
     * @param routingKey      the binding key or pattern
     */
    public record BindingRef(String source, String destination, String destinationType, String routingKey) {

        static BindingRef of(RabbitDefinitions.Binding b) {
            return new BindingRef(b.source(), b.destination(), b.destinationType(), b.routingKey());
        }

        /** {@code source -> destination (key)}, as in the text report. */
        String label() {
            return source + " -> " + destination + " (" + routingKey + ")";
        }
    }

    /**
     * One entry, naming its element by structured fields.
     *
     * @param kind     what kind of element
     * @param name     the element's name (for a binding: {@code source -> destination (key)})
     * @param argument the queue argument, exchange argument or policy key concerned, or null
     * @param binding  the binding, for {@link ElementKind#BINDING} items, else null
     * @param reason   why, and what to do instead
     */
    public record Item(ElementKind kind, String name, String argument, BindingRef binding, String reason) {

        public Item {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(reason, "reason");
        }

        static Item of(ElementKind kind, String name, String reason) {
            return new Item(kind, name, null, null, reason);
        }

        static Item of(ElementKind kind, String name, String argument, String reason) {
            return new Item(kind, name, argument, null, reason);
        }

        static Item of(RabbitDefinitions.Binding b, String reason) {
            BindingRef ref = BindingRef.of(b);
            return new Item(ElementKind.BINDING, ref.label(), null, ref, reason);
        }

        @Override
        public String toString() {
            return kind.label() + " " + name + ": " + (argument == null ? "" : argument + ": ") + reason;
        }
    }
}
