package io.natsmigrate.dualpublish;

import io.nats.client.impl.Headers;

/**
 * A message the JetStream leg could not store within the retry bound; kept for {@link DualPublisher#replay(java.time.Duration)}.
 *
 * @param subject the JetStream subject
 * @param headers its headers (with {@code Nats-Msg-Id}: a replay is deduplicated if it did land after all)
 * @param data the payload
 * @param msgId the Msg-Id
 * @param cause why it failed
 */
public record UndeliveredMessage(String subject, Headers headers, byte[] data, String msgId, Throwable cause) {
}
