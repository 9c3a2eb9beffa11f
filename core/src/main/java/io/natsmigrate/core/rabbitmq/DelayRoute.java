package io.natsmigrate.core.rabbitmq;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A RabbitMQ delay queue (a queue with {@code x-message-ttl} and {@code x-dead-letter-exchange} that nothing
 * consumes, named in {@link RabbitMqRecipe#delayQueues}) as JetStream wiring. The queue's stream collects what
 * its bindings route to it, as any queue's; a {@link DelayQueueRelay} consumes it and turns each message into a
 * message schedule (nats-server 2.12, {@code Nats-Schedule: @at}) on the delay stream, due at the time the message
 * was stored plus the TTL. When it fires, the server writes the message to {@link #firedSubject}, which the ingest
 * stream sources back onto the dead-letter exchange's subject, so the queues bound there receive it, as RabbitMQ's
 * dead-lettering on expiry would route it.
 *
 * @param queue             the RabbitMQ queue
 * @param stream            its stream
 * @param consumer          its durable consumer, which the relay uses
 * @param delay             the TTL
 * @param delayStream       the stream the schedules live in
 * @param subjectPrefix     the migration's subject prefix (the ingest stream's subjects)
 * @param delayPrefix       the delay stream's subject root
 * @param exchange          the dead-letter exchange ("" for the default exchange)
 * @param routingKey        {@code x-dead-letter-routing-key}, or null to keep each message's own key
 */
public record DelayRoute(String queue, String stream, String consumer, Duration delay, String delayStream,
                         String subjectPrefix, String delayPrefix, String exchange, String routingKey) {

    public DelayRoute {
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(consumer, "consumer");
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(delayStream, "delayStream");
        Objects.requireNonNull(subjectPrefix, "subjectPrefix");
        Objects.requireNonNull(delayPrefix, "delayPrefix");
        Objects.requireNonNull(exchange, "exchange");
    }

    /** Where the delay stream keeps the fired messages the ingest stream sources: {@code <delayPrefix>.fired.>}. */
    static String firedRoot(String delayPrefix) {
        return delayPrefix + ".fired";
    }

    /**
     * The ingest subject a message stored on {@code subject} goes to after the delay: the dead-letter exchange with
     * the dead-letter routing key, or with the message's own key when the queue has none. Empty when the message
     * keeps its own key but its subject is not one of this migration's exchange subjects (a dead letter sourced
     * from the DLQ carries the DLQ's subject): give the queue an {@code x-dead-letter-routing-key} then.
     */
    public Optional<String> targetSubject(String subject) {
        Objects.requireNonNull(subject, "subject");
        if (routingKey != null) {
            return Optional.of(AmqpSubjects.subject(subjectPrefix, exchange, routingKey));
        }
        String base = subjectPrefix + ".";
        if (!subject.startsWith(base)) {
            return Optional.empty();
        }
        String rest = subject.substring(base.length()); // <exchange word>[.<key words>]
        int dot = rest.indexOf('.');
        String keyTokens = dot < 0 ? "" : rest.substring(dot + 1);
        return Optional.of(AmqpSubjects.join(AmqpSubjects.subject(subjectPrefix, exchange, ""), keyTokens));
    }

    /** The delay stream's subject that the ingest stream copies back onto {@code targetSubject}. */
    public String firedSubject(String targetSubject) {
        return DelayStream.firedSubject(delayPrefix, subjectPrefix, targetSubject);
    }

    /**
     * The subject of the schedule for one message, {@code <delayPrefix>.at.<stream>.<key>}, where the relay's key
     * says where the message came from. One schedule per subject (a second one replaces the first), so each
     * message gets its own, and a message delivered twice replaces its own schedule rather than adding one.
     */
    public String scheduleSubject(String key) {
        Objects.requireNonNull(key, "key");
        return scheduleRoot() + "." + key;
    }

    /** The root of this queue's schedule subjects ({@code <delayPrefix>.at.<stream>}). */
    public String scheduleRoot() {
        return delayPrefix + ".at." + stream;
    }
}
