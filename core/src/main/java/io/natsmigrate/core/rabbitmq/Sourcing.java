package io.natsmigrate.core.rabbitmq;

import io.nats.client.api.Source;
import io.nats.client.api.SubjectTransform;
import io.natsmigrate.core.DurableSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How the translation's streams source each other: through durable consumers on the origin (the default, see
 * {@link DurableSource}: the ingest stream has interest retention, and the queue streams recover their position
 * from the origin, not from messages they have deleted), or through the server's ephemeral ones (before
 * nats-server 2.14, reported as a risk).
 */
final class Sourcing {

    private final boolean durable;
    private final List<DurableSource> durableSources = new ArrayList<>();
    private final Map<String, Integer> counts = new HashMap<>();

    Sourcing(boolean durable) {
        this.durable = durable;
    }

    /** The source of {@code sourcing} from {@code origin} through {@code filter}, mapped to {@code transformTo}. */
    Source source(String sourcing, String origin, String filter, String transformTo) {
        if (durable) {
            int index = counts.merge(sourcing, 1, Integer::sum);
            DurableSource d = DurableSource.of(sourcing, index, origin, filter, transformTo);
            durableSources.add(d);
            return d.toSource();
        }
        if (transformTo != null) {
            // A transform and not a filter: the server refuses both on one source.
            return Source.builder().name(origin).subjectTransforms(SubjectTransform.builder().source(filter)
                    .destination(transformTo).build()).build();
        }
        return Source.builder().name(origin).filterSubject(filter).build();
    }

    /** The durable consumers to create, each before the stream that sources through it. */
    List<DurableSource> durableSources() {
        return List.copyOf(durableSources);
    }
}
