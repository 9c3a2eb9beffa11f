package io.natsmigrate.samples;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The RabbitMQ sample's account of its tasks: published, processed (on which side), retried, dead-lettered. */
final class WorkLedger {

    /** The header a retried task carries its id in, on both systems. */
    static final String TASK_ID = "Task-Id";

    private final Set<String> published = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> handled = new ConcurrentHashMap<>();
    private final Set<String> dead = ConcurrentHashMap.newKeySet();
    private final Set<String> attempted = ConcurrentHashMap.newKeySet();
    private final AtomicLong onAmqp = new AtomicLong();
    private final AtomicLong onJetStream = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();

    void published(String id) {
        published.add(id);
    }

    long published() {
        return published.size();
    }

    /** True the first time a task is attempted, on either system: the flaky tasks fail then and are retried. */
    boolean firstAttempt(String id) {
        boolean first = attempted.add(id);
        if (first) {
            retried.incrementAndGet();
        }
        return first;
    }

    void processed(String id, boolean jetStream) {
        handled.merge(id, 1, Integer::sum);
        (jetStream ? onJetStream : onAmqp).incrementAndGet();
    }

    void deadLettered(String id) {
        if (id != null && !dead.add(id)) {
            handled.merge(id, 1, Integer::sum); // a second dead letter of the same message is a duplicate
        }
    }

    long handled() {
        return handled.size() + dead.size();
    }

    long duplicates() {
        return handled.values().stream().mapToLong(n -> n - 1).sum()
                + handled.keySet().stream().filter(dead::contains).count();
    }

    long unaccounted() {
        return published.stream().filter(id -> !handled.containsKey(id) && !dead.contains(id)).count();
    }

    String progress() {
        return "published " + published.size() + ", processed " + onAmqp + " on AMQP and " + onJetStream
                + " on JetStream, retried " + retried + " after the delay, dead-lettered " + dead.size()
                + ", waiting " + unaccounted();
    }
}
