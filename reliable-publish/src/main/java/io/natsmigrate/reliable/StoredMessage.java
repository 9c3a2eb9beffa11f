package io.natsmigrate.reliable;

import io.nats.client.impl.Headers;

/**
 * The last message stored on a subject, as read by {@link OptimisticUpdater}.
 *
 * @param subject its subject
 * @param sequence its stream sequence: the "version" the next write expects
 * @param headers its headers (may be null)
 * @param data its payload
 */
public record StoredMessage(String subject, long sequence, Headers headers, byte[] data) {
}
