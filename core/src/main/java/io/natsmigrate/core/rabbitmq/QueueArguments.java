package io.natsmigrate.core.rabbitmq;

import io.natsmigrate.core.rabbitmq.RabbitDefinitions.Policy;
import io.natsmigrate.core.rabbitmq.TranslationReport.ElementKind;
import io.natsmigrate.core.rabbitmq.TranslationReport.Item;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A queue's effective arguments: its own {@code x-*} arguments merged with the policy RabbitMQ applies to it, in
 * name order so the outcome never depends on the export's or the JVM's map order. Where both set a numeric limit
 * the lower wins, as in RabbitMQ; otherwise the queue's own argument wins. Policy keys that are replication or
 * storage tuning, apply to exchanges only, or are unknown are reported on the policy (once, whatever the number
 * of queues it covers) and never reject a queue.
 */
final class QueueArguments {

    /** Policy keys that are queue arguments under an {@code x-} prefix. */
    private static final Set<String> ARGUMENT_KEYS = Set.of("message-ttl", "max-length", "max-length-bytes",
            "overflow", "dead-letter-exchange", "dead-letter-routing-key", "delivery-limit", "max-age",
            "dead-letter-strategy");
    static final Set<String> TUNING_POLICY_KEYS = Set.of("ha-mode", "ha-params", "ha-sync-mode",
            "ha-sync-batch-size", "ha-promote-on-shutdown", "ha-promote-on-failure", "queue-mode",
            "queue-master-locator", "queue-leader-locator", "queue-version", "max-in-memory-length",
            "max-in-memory-bytes", "initial-cluster-size", "target-group-size", "stream-max-segment-size-bytes",
            "stream-filter-size-bytes");

    private QueueArguments() {
    }

    /** The merged arguments, sorted by name; policy findings go to {@code report}. */
    static Map<String, Object> merge(Map<String, Object> queueArguments, Policy policy, ReportCollector report) {
        Map<String, Object> args = new TreeMap<>(queueArguments);
        if (policy == null) {
            return args;
        }
        String name = String.valueOf(policy.name());
        new TreeMap<>(policy.definition()).forEach((key, value) -> {
            if (ARGUMENT_KEYS.contains(key)) {
                args.merge("x-" + key, value, QueueArguments::stricter);
            } else if (TUNING_POLICY_KEYS.contains(key)) {
                report.difference(Item.of(ElementKind.POLICY, name, key, "storage or replication tuning with no"
                        + " JetStream equivalent; set the streams' replicas instead"));
            } else if (key.equals("expires")) {
                report.untranslated(Item.of(ElementKind.POLICY, name, key, "queues expire when unused in"
                        + " RabbitMQ; streams do not. The queues are translated without it: give their consumers an"
                        + " inactive threshold and the streams a max age instead"));
            } else if (key.startsWith("federation-upstream")) {
                report.untranslated(Item.of(ElementKind.POLICY, name, key, "federation links are not migrated;"
                        + " the queues are translated without them. Connect the systems with a leaf node or"
                        + " stream sources instead"));
            } else if (!key.equals("alternate-exchange")) { // an exchange key; RabbitMQ ignores it for queues
                report.untranslated(Item.of(ElementKind.POLICY, name, key, "policy key not known to the"
                        + " translation; the queues it covers are translated without it"));
            }
        });
        return args;
    }

    private static Object stricter(Object argument, Object policy) {
        if (argument instanceof Number a && policy instanceof Number p) {
            return Math.min(a.longValue(), p.longValue());
        }
        return argument;
    }
}
