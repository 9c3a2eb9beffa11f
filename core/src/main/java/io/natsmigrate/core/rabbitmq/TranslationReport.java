package io.natsmigrate.core.rabbitmq;

import java.util.List;

/**
 * What a RabbitMQ import could not translate, and what it translated with a difference worth knowing. Nothing
 * in {@link #untranslated()} is part of the plan; nothing is guessed.
 *
 * @param untranslated features left out, each with the reason and what to do instead
 * @param differences  translated, but behaving differently on JetStream
 */
public record TranslationReport(List<Item> untranslated, List<Item> differences) {

    public TranslationReport {
        untranslated = List.copyOf(untranslated);
        differences = List.copyOf(differences);
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
     * One entry.
     *
     * @param kind   {@code exchange}, {@code queue}, {@code binding} or {@code policy}
     * @param name   the element, e.g. the queue name or {@code exchange -> queue (key)}
     * @param reason why, and what to do instead
     */
    public record Item(String kind, String name, String reason) {
        @Override
        public String toString() {
            return kind + " " + name + ": " + reason;
        }
    }
}
