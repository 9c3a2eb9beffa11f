package io.natsmigrate.core.rabbitmq;

import io.nats.client.Connection;
import io.nats.client.ConsumerContext;
import io.nats.client.JetStream;
import io.nats.client.Message;
import io.nats.client.MessageConsumer;
import io.natsmigrate.primitives.MigrationHeaders;
import io.natsmigrate.primitives.ServerFeature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one {@link DelayRoute}: consumes the delay queue's stream and turns each message into a message schedule
 * on the delay stream, due at the time the message was stored plus the delay; then acks it. The server fires the
 * schedule onto the dead-letter exchange's subject (through the ingest stream), so the relay holds no timers and
 * no state: stopped for a while, it catches up, and what is already due fires at once.
 *
 * <p>At least once: a message whose ack was lost is scheduled again on the same schedule subject, which replaces
 * the pending schedule (and {@code Nats-Msg-Id} de-duplicates within two minutes of one that already fired). The
 * server drops {@code Nats-Msg-Id} from a fired message, so the relay copies it to {@link #ORIGINAL_MSG_ID}; other
 * application headers travel as they are. A message it cannot route (see {@link DelayRoute#targetSubject}) is
 * logged, counted in {@link #unroutable()} and left in the queue, redelivered every 30 s: never dropped.
 *
 * <pre>{@code
 * try (DelayQueueRelay relay = DelayQueueRelay.start(nc, migration.delayRoute("work.retry"))) {
 *     ... // the application runs; close the relay when it stops
 * }
 * }</pre>
 */
public final class DelayQueueRelay implements AutoCloseable {

    /** The {@code Nats-Msg-Id} the message had before it was delayed (the server drops it from a fired message). */
    public static final String ORIGINAL_MSG_ID = MigrationHeaders.DELAY_ORIGINAL_MSG_ID;

    private static final Logger LOG = LoggerFactory.getLogger(DelayQueueRelay.class);
    private static final Duration UNROUTABLE_RETRY = Duration.ofSeconds(30);

    private final DelayRoute route;
    private final JetStream js;
    private final MessageConsumer consumer;
    private final AtomicLong scheduled = new AtomicLong();
    private final AtomicLong unroutable = new AtomicLong();

    private DelayQueueRelay(Connection nc, DelayRoute route) throws Exception {
        this.route = route;
        this.js = nc.jetStream();
        ConsumerContext cc = nc.getStreamContext(route.stream()).getConsumerContext(route.consumer());
        this.consumer = cc.consume(this::relay);
    }

    /**
     * Starts relaying {@code route}'s queue. The plan must have been provisioned (the streams and consumer exist).
     *
     * @throws io.natsmigrate.primitives.ServerTooOldException when the server has no message schedules (before
     *                                                       2.12)
     * @throws io.nats.client.JetStreamApiException         when the queue's stream or consumer does not exist (the
     *                                                       plan was not applied up to provision)
     */
    public static DelayQueueRelay start(Connection nc, DelayRoute route) throws Exception {
        Objects.requireNonNull(nc, "connection");
        Objects.requireNonNull(route, "route");
        ServerFeature.MESSAGE_SCHEDULES.requireSupportedBy(nc);
        return new DelayQueueRelay(nc, route);
    }

    private void relay(Message m) {
        try {
            Optional<String> target = route.targetSubject(m.getSubject());
            if (target.isEmpty()) {
                unroutable.incrementAndGet();
                LOG.error("Delay queue {}: message {} on {} has no routing key to keep (its subject is not an"
                                + " exchange subject of this migration); it stays in stream {}. Give the queue an"
                                + " x-dead-letter-routing-key", route.queue(), m.metaData().streamSequence(),
                        m.getSubject(), route.stream());
                m.nakWithDelay(UNROUTABLE_RETRY);
                return;
            }
            // Keyed on where the copy came from (origin stream and sequence), not on this stream's sequence: a
            // source that delivers a message twice after a leader failover (seen on the testkit's cluster) gives
            // the same key, so the second schedule replaces the first, or D's duplicate window drops it.
            String key = originKey(m);
            Instant due = m.metaData().timestamp().toInstant().plus(route.delay());
            js.publish(Schedules.schedule(route.scheduleSubject(key), route.firedSubject(target.get()), due,
                    m.getHeaders(), m.getData(), route.queue() + ":" + key));
            m.ack();
            scheduled.incrementAndGet();
        } catch (Exception e) {
            // Not acked: redelivered after the consumer's ack wait, and scheduled then.
            LOG.warn("Delay queue {}: scheduling message on {} failed, it will be redelivered: {}", route.queue(),
                    m.getSubject(), e.toString());
        }
    }

    /**
     * {@code <origin stream>.<origin sequence>} from {@link MigrationHeaders#STREAM_SOURCE}, or
     * {@code seq.<this stream's sequence>} for a message published straight into the queue's stream.
     */
    private static String originKey(Message m) {
        String source = m.getHeaders() == null ? null : m.getHeaders().getFirst(MigrationHeaders.STREAM_SOURCE);
        if (source != null) {
            String[] parts = source.split(" ");
            if (parts.length >= 2) {
                return AmqpSubjects.word(parts[0]) + "." + AmqpSubjects.word(parts[1]);
            }
        }
        return "seq." + m.metaData().streamSequence();
    }

    /** The route this relay runs. */
    public DelayRoute route() {
        return route;
    }

    /** Messages scheduled so far. */
    public long scheduled() {
        return scheduled.get();
    }

    /** Deliveries that could not be routed (each left in the queue). */
    public long unroutable() {
        return unroutable.get();
    }

    /** Stops consuming; messages not yet scheduled stay in the queue's stream for the next relay. */
    @Override
    public void close() throws Exception {
        consumer.stop();
        consumer.close();
    }
}
