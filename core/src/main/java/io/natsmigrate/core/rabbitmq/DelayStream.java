package io.natsmigrate.core.rabbitmq;

import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.Source;
import io.nats.client.api.StreamConfiguration;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The stream that holds the delay queues' message schedules, and the source that brings what they fire back
 * into the ingest stream. Schedules can only target their own stream, and the ingest stream (interest retention)
 * would drop a schedule nothing is interested in, hence a stream of their own.
 */
final class DelayStream {

    private DelayStream() {
    }

    /**
     * Limits retention with schedules allowed. Max age: the longest delay (a delay queue's TTL, or the recipe's
     * {@code maxMessageDelay} when there are delayed-message exchanges) plus the ingest stream's max age, so a
     * schedule is never removed before it fires, and a fired message stays until the ingest stream has sourced
     * it. (A per-message TTL would do the second, but its {@code Nats-TTL} header would follow the message into
     * every queue stream.)
     */
    static Optional<StreamConfiguration> of(List<DelayRoute> delays, boolean delayedExchanges,
                                            TranslationSettings settings) {
        Optional<Duration> longestTtl = delays.stream().map(DelayRoute::delay).max(Duration::compareTo);
        Optional<Duration> longestDelay = delayedExchanges
                ? Optional.of(longestTtl.filter(t -> t.compareTo(settings.maxMessageDelay()) > 0)
                        .orElse(settings.maxMessageDelay()))
                : longestTtl;
        return longestDelay.map(longest ->
                StreamConfiguration.builder().name(settings.delayStream())
                        .subjects(settings.delayPrefix() + ".>")
                        .retentionPolicy(RetentionPolicy.Limits)
                        .allowMessageSchedules()
                        .maxAge(longest.plus(settings.ingestMaxAge()))
                        .duplicateWindow(Duration.ofMinutes(2))
                        .build());
    }

    /**
     * The ingest stream's source of fired messages: {@code <delayPrefix>.fired.>} back to {@code <prefix>.>}.
     */
    /**
     * The delay stream's subject that fires onto {@code targetSubject} ({@code <prefix>.<tokens>}):
     * {@code <delayPrefix>.fired.<tokens>}, which the ingest stream sources back onto the target.
     */
    static String firedSubject(String delayPrefix, String subjectPrefix, String targetSubject) {
        Objects.requireNonNull(targetSubject, "targetSubject");
        String base = subjectPrefix + ".";
        if (!targetSubject.startsWith(base)) {
            throw new IllegalArgumentException("Subject " + targetSubject + " is not under the migration's prefix "
                    + subjectPrefix + ": pass an exchange subject of this migration");
        }
        return DelayRoute.firedRoot(delayPrefix) + "." + targetSubject.substring(base.length());
    }

    static Source firedSource(TranslationSettings settings, Sourcing sourcing) {
        return sourcing.source(settings.ingestStream(), settings.delayStream(),
                DelayRoute.firedRoot(settings.delayPrefix()) + ".>", settings.subjectPrefix() + ".>");
    }
}
