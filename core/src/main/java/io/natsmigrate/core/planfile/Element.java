package io.natsmigrate.core.planfile;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One element of a plan file while it is read: its node, where it is ({@code path} for people, JSON pointer for
 * the line) and the typed reads that fail with a {@link PlanFileException} naming both.
 */
final class Element {

    private final PlanTree tree;
    private final JsonNode node;
    private final String pointer;
    private final String path;

    private Element(PlanTree tree, JsonNode node, String pointer, String path) {
        this.tree = tree;
        this.node = node;
        this.pointer = pointer;
        this.path = path;
    }

    static Element root(PlanTree tree) {
        return new Element(tree, tree.root(), "", "");
    }

    JsonNode node() {
        return node;
    }

    String path() {
        return path;
    }

    PlanTree tree() {
        return tree;
    }

    boolean has(String key) {
        return node.has(key) && !node.get(key).isNull();
    }

    /** The child {@code key}, which must be there. */
    Element get(String key) {
        if (!has(key)) {
            throw fail("\"" + key + "\" is missing; add it");
        }
        return child(key);
    }

    Element child(String key) {
        return new Element(tree, node.get(key), pointer + "/" + key.replace("~", "~0").replace("/", "~1"),
                path.isEmpty() ? key : path + "." + key);
    }

    /** The items of this array element (a missing element reads as no items). */
    List<Element> items() {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw fail("it must be a list");
        }
        List<Element> items = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            items.add(new Element(tree, node.get(i), pointer + "/" + i, path + "[" + i + "]"));
        }
        return items;
    }

    List<Element> items(String key) {
        return has(key) ? child(key).items() : List.of();
    }

    String text(String key) {
        Element e = get(key);
        if (!e.node.isTextual() || e.node.asText().isBlank()) {
            throw e.fail("it must be a non-empty string");
        }
        return e.node.asText();
    }

    boolean bool(String key, boolean otherwise) {
        if (!has(key)) {
            return otherwise;
        }
        Element e = child(key);
        if (!e.node.isBoolean()) {
            throw e.fail("it must be true or false");
        }
        return e.node.booleanValue();
    }

    double number(String key) {
        Element e = get(key);
        if (!e.node.isNumber()) {
            throw e.fail("it must be a number");
        }
        return e.node.doubleValue();
    }

    int integer(String key) {
        Element e = get(key);
        if (!e.node.isIntegralNumber()) {
            throw e.fail("it must be a whole number");
        }
        return e.node.intValue();
    }

    Duration duration(String key, Duration otherwise) {
        if (!has(key)) {
            return otherwise;
        }
        Element e = child(key);
        Duration d = e.node.isTextual() ? DurationText.parse(e.node.asText()) : null;
        if (d == null || d.isNegative()) {
            throw e.fail("it must be a duration such as \"500ms\", \"30s\", \"5m\", \"2h\", \"7d\" or \"PT5M\"");
        }
        return d;
    }

    /** Fails on a key not in {@code allowed}, naming the ones allowed (a typo must not be ignored). */
    Element onlyKeys(String... allowed) {
        if (!node.isObject()) {
            throw fail("it must be an object with " + String.join(", ", allowed));
        }
        Set<String> keys = Set.of(allowed);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!keys.contains(key)) {
                throw child(key).fail("\"" + key + "\" is not a key here; the keys are " + new TreeSet<>(keys));
            }
        }
        return this;
    }

    /** The single key of a {@code {kind: {...}}} element. */
    String kind(Set<String> kinds) {
        if (!node.isObject() || node.size() != 1) {
            throw fail("it must be an object with exactly one key, the kind: one of " + new TreeSet<>(kinds));
        }
        String kind = node.fieldNames().next();
        if (!kinds.contains(kind)) {
            throw child(kind).fail("\"" + kind + "\" is not a kind here; the kinds are " + new TreeSet<>(kinds));
        }
        return kind;
    }

    PlanFileException fail(String message) {
        return new PlanFileException(tree.source(), tree.lineOf(pointer), path, message);
    }
}
