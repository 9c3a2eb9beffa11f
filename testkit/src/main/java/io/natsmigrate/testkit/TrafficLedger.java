package io.natsmigrate.testkit;

import io.nats.client.Connection;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What {@link MigrationTraffic} published (by id, with the system that acknowledged it) and what each service
 * processed (by consumer and id, and on which side). Thread-safe; every figure is a snapshot.
 */
final class TrafficLedger {

    private final Connection original;
    private final Map<String, Connection> published = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Integer>> processedBy = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> afterMoveBy = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> skippedBy = new ConcurrentHashMap<>();

    TrafficLedger(Connection original) {
        this.original = original;
    }

    void published(String id, Connection system) {
        published.put(id, system);
    }

    void processed(String consumer, String id, boolean afterMove) {
        processedBy.computeIfAbsent(consumer, c -> new ConcurrentHashMap<>()).merge(id, 1, Integer::sum);
        if (afterMove) {
            counter(afterMoveBy, consumer).incrementAndGet();
        }
    }

    void recordSkip(String consumer) {
        counter(skippedBy, consumer).incrementAndGet();
    }

    long published() {
        return published.size();
    }

    long published(String idPrefix) {
        return published.keySet().stream().filter(id -> id.startsWith(idPrefix)).count();
    }

    long publishedOn(Connection nc) {
        return published.values().stream().filter(c -> c == nc).count();
    }

    long publishedAfterMove() {
        return published.values().stream().filter(c -> c != original).count();
    }

    long processed(String consumer) {
        return ids(consumer).values().stream().mapToLong(Integer::longValue).sum();
    }

    long processedAfterMove(String consumer) {
        return counter(afterMoveBy, consumer).get();
    }

    long processedAfterMove() {
        return afterMoveBy.values().stream().mapToLong(AtomicLong::get).sum();
    }

    long processedTotal() {
        return processedBy.keySet().stream().mapToLong(this::processed).sum();
    }

    long skipped(String consumer) {
        return counter(skippedBy, consumer).get();
    }

    boolean isProcessed(String id) {
        return processedBy.values().stream().anyMatch(m -> m.containsKey(id));
    }

    long distinctProcessed() {
        return published.keySet().stream().filter(this::isProcessed).count();
    }

    /** Published ids that no service processed. */
    List<String> unprocessedIds() {
        return published.keySet().stream().filter(id -> !isProcessed(id)).sorted().toList();
    }

    long duplicates(String consumer) {
        return ids(consumer).values().stream().mapToLong(n -> n - 1).sum();
    }

    long duplicates() {
        return processedBy.keySet().stream().mapToLong(this::duplicates).sum();
    }

    private Map<String, Integer> ids(String consumer) {
        return processedBy.getOrDefault(consumer, Map.of());
    }

    private static AtomicLong counter(Map<String, AtomicLong> map, String consumer) {
        return map.computeIfAbsent(consumer, c -> new AtomicLong());
    }
}
