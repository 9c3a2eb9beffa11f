package io.natsmigrate.dualpublish;

import io.nats.client.Connection;
import io.nats.client.impl.Headers;

import java.util.Optional;

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

    /**
     * The NATS connection this leg publishes on, when it is one: the dual publisher uses it to tell whether the
     * stream hears the legacy publish itself (same system) and to refuse a closed connection. Empty by default.
     */
    default Optional<Connection> connection() {
        return Optional.empty();
    }

    /**
     * NATS Core publishing on {@code nc} (the old cluster, or the same system as JetStream).
     *
     * <p>A Core publish is fire-and-forget: a server that denies it answers with an asynchronous {@code -ERR}
     * only. So the first publish to each subject is confirmed with a round trip ({@code flush}); a denial then
     * throws {@link io.natsmigrate.primitives.PermissionDeniedException} from that very publish instead of
     * losing the message on the legacy path without a word. Later publishes to a confirmed subject cost nothing
     * extra; a denied subject is never taken as confirmed, so every publish to it throws. Up to 10,000 subjects
     * are confirmed; a new subject past that is published as plain Core (a denial then reaches only the
     * connection's {@code ErrorListener}, as before the migration). A confirmation that times out (a disconnect:
     * the message waits in jnats's reconnect buffer and is sent on reconnect) is not an error; the subject is
     * confirmed by a later publish.
     */
    static LegacyLeg nats(Connection nc) {
        return new NatsCoreLeg(nc);
    }
}
