package io.natsmigrate.core.rabbitmq;

import io.natsmigrate.core.rabbitmq.TranslationReport.ElementKind;
import io.natsmigrate.core.rabbitmq.TranslationReport.Item;

import java.util.LinkedHashSet;
import java.util.Set;

/** The items of one translation's report as they are found; the report sorts them and keeps each once. */
final class ReportCollector {

    private final Set<Item> untranslated = new LinkedHashSet<>();
    private final Set<Item> differences = new LinkedHashSet<>();

    void untranslated(Item item) {
        untranslated.add(item);
    }

    void untranslated(ElementKind kind, String name, String reason) {
        untranslated.add(Item.of(kind, name, reason));
    }

    void difference(Item item) {
        differences.add(item);
    }

    void difference(ElementKind kind, String name, String reason) {
        differences.add(Item.of(kind, name, reason));
    }

    TranslationReport report() {
        return new TranslationReport(untranslated.stream().toList(), differences.stream().toList());
    }
}
