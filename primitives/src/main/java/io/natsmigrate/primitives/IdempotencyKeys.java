package io.natsmigrate.primitives;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The one rule for the key under which a processed message is remembered in an idempotency KV bucket: the
 * SHA-256 of its {@code Nats-Msg-Id} in hex (a Msg-Id may hold characters a KV key may not). consumer-patterns'
 * {@code IdempotencyStore} reads and writes with it, and the cross-system consumer move writes the messages it
 * knows were processed on the old system with it, so a service on the new system skips them.
 */
public final class IdempotencyKeys {

    private IdempotencyKeys() {
    }

    /** The KV key for {@code msgId}. */
    public static String of(String msgId) {
        Objects.requireNonNull(msgId, "msgId");
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(msgId.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }
}
