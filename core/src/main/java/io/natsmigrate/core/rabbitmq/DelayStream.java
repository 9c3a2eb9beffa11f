package io.natsmigrate.core.rabbitmq;

import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.Source;
import io.nats.client.api.StreamConfiguration;

import java.time.Duration;
import java.util.List;
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
     * Limits retention with schedules allowed. Max age: the longest delay plus the ingest stream's max age, so a
     * schedule is never removed before it fires, and a fired message stays until the ingest stream has sourced
     * it. (A per-message TTL would do the second, but its {@code Nats-TTL} header would follow the message into
     * every queue stream.)
     */
    static Optional<StreamConfiguration> of(List<DelayRoute> delays, TranslationSettings settings) {
        return delays.stream().map(DelayRoute::delay).max(Duration::compareTo).map(longest ->
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
    static Source firedSource(TranslationSettings settings, Sourcing sourcing) {
        return sourcing.source(settings.ingestStream(), settings.delayStream(),
                DelayRoute.firedRoot(settings.delayPrefix()) + ".>", settings.subjectPrefix() + ".>");
    }
}
