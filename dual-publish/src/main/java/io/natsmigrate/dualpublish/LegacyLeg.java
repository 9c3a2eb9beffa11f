package io.natsmigrate.dualpublish;

import io.nats.client.impl.Headers;

/**
 * The legacy publishing path. NATS Core is built in ({@link #nats(io.nats.client.Connection)}); anything else
 * (a RabbitMQ or Kafka producer) is a lambda. It is called on the caller's thread and its exceptions reach the
 * caller unchanged, as they did before the migration.
 *
 * <pre>{@code
 * LegacyLeg amqp = (subject, headers, data, msgId) ->
 *         channel.basicPublish("orders", subject, propsWithMessageId(msgId), data);
 * }</pre>
 */
@FunctionalInterface
public interface LegacyLeg {

    /**
     * Publishes one message on the legacy path.
     *
     * @param subject the legacy subject or routing key
     * @param headers headers (for NATS, including {@code Nats-Msg-Id}); may be read-only
     * @param data the payload
     * @param msgId the message's Msg-Id, the same as on the JetStream leg; set it as the message id where the
     *              legacy system has one, so the parity verifier can correlate
     */
    void publish(String subject, Headers headers, byte[] data, String msgId) throws Exception;

    /** NATS Core publishing on {@code nc} (the old cluster, or the same system as JetStream). */
    static LegacyLeg nats(io.nats.client.Connection nc) {
        return new NatsCoreLeg(nc);
    }
}
