package io.natsmigrate.core;

import io.nats.client.api.ConsumerSource;
import io.nats.client.api.Source;
import io.nats.client.api.SubjectTransform;

import java.util.Objects;

/**
 * A stream source that reads through a durable consumer on the origin (nats-server 2.14, ADR-58) instead of the
 * ephemeral one the server makes by itself. Needed where the origin has interest or work-queue retention: an
 * ephemeral source consumer acks nothing, so a message in flight when a leader fails is already gone from the
 * origin, and the sourcing stream's position is recovered by scanning its own messages, which such a stream has
 * deleted. Found on the testkit's cluster: killing the leaders of a RabbitMQ translation's ingest and delay streams
 * lost 33 and 66 of 300 messages in two runs with ephemeral sources. The durable consumer ({@code ack_policy: flow_control}) keeps the
 * position on the origin and is acked by the sourcing stream's flow control, and on an interest stream it holds
 * interest from the moment it exists.
 *
 * <p>Plan it with {@link Steps#durableSource} on the origin before the sourcing stream, whose configuration gets
 * {@link #toSource()}.
 *
 * @param sourcing       the stream that sources
 * @param origin         the stream sourced from
 * @param consumer       the durable consumer's name on the origin
 * @param deliverSubject where the origin delivers to the sourcing stream
 * @param filterSubject  the consumer's filter (a durable source takes no filter of its own)
 * @param transformTo    the subject the filter is mapped to in the sourcing stream, or null to keep subjects
 */
public record DurableSource(String sourcing, String origin, String consumer, String deliverSubject, String filterSubject,
                            String transformTo) {

    public DurableSource {
        Names.requireStreamName("sourcing stream", sourcing);
        Names.requireStreamName("origin stream", origin);
        Objects.requireNonNull(consumer, "consumer");
        Objects.requireNonNull(deliverSubject, "deliverSubject");
        Objects.requireNonNull(filterSubject, "filterSubject");
    }

    /**
     * The {@code index}-th source of stream {@code sourcing} from {@code origin} through {@code filter}: consumer
     * {@code SRC_<sourcing>_<index>}, delivering to {@code _natsmigrate.src.<sourcing>.<index>}.
     */
    public static DurableSource of(String sourcing, int index, String origin, String filter, String transformTo) {
        Names.requireStreamName("sourcing stream", sourcing);
        return new DurableSource(sourcing, origin, "SRC_" + sourcing + "_" + index, "_natsmigrate.src." + sourcing + "."
                + index, filter, transformTo);
    }

    /** The source to put in the sourcing stream's configuration. */
    public Source toSource() {
        Source.Builder b = Source.builder().name(origin).consumerSource(new ConsumerSource(consumer,
                deliverSubject));
        if (transformTo != null) {
            b.subjectTransforms(SubjectTransform.builder().source(filterSubject).destination(transformTo).build());
        }
        return b.build();
    }
}
