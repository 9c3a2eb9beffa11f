package io.natsmigrate.core.rabbitmq;

import io.natsmigrate.core.rabbitmq.RabbitDefinitions.Policy;
import io.natsmigrate.core.rabbitmq.TranslationReport.ElementKind;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which policy RabbitMQ applies to a queue or exchange of one vhost: of those whose {@code apply-to} covers the
 * element and whose pattern matches its name, the one with the highest priority (ties: the name sorting last, so
 * the choice never depends on export order). A pattern that is no valid regular expression is reported once and
 * matches nothing.
 */
final class PolicyMatcher {

    private final List<Policy> policies;
    private final ReportCollector report;

    PolicyMatcher(List<Policy> vhostPolicies, ReportCollector report) {
        this.policies = List.copyOf(vhostPolicies);
        this.report = report;
    }

    /** The policy for a queue of {@code queueType} ({@code classic}, {@code quorum} or {@code stream}). */
    Optional<Policy> forQueue(String queue, String queueType) {
        Set<String> covering = switch (queueType) {
            case "quorum" -> Set.of("all", "queues", "quorum_queues");
            case "stream" -> Set.of("all", "queues", "streams");
            default -> Set.of("all", "queues", "classic_queues");
        };
        return best(queue, covering);
    }

    /** The policy for an exchange. */
    Optional<Policy> forExchange(String exchange) {
        return best(exchange, Set.of("all", "exchanges"));
    }

    private Optional<Policy> best(String name, Set<String> applyTo) {
        return policies.stream()
                .filter(p -> applyTo.contains(p.applyTo()))
                .filter(p -> matches(p, name))
                .max(Comparator.comparingInt(Policy::priority).thenComparing(p -> String.valueOf(p.name())));
    }

    private boolean matches(Policy p, String name) {
        try {
            return Pattern.compile(p.pattern() == null ? "" : p.pattern()).matcher(name).find();
        } catch (PatternSyntaxException e) {
            report.untranslated(ElementKind.POLICY, String.valueOf(p.name()), "pattern " + p.pattern()
                    + " is not a valid regular expression: " + e.getDescription());
            return false;
        }
    }
}
