package io.natsmigrate.primitives;

import io.nats.client.impl.Headers;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import static io.nats.client.support.NatsJetStreamConstants.MSG_ID_HDR;

/**
 * What makes two stored copies of one published message recognisable as the same message on two systems,
 * where their stream sequences differ: the {@code Nats-Msg-Id} header when the publisher set one, otherwise a
 * SHA-256 of subject and payload. Headers the servers add on the way ({@code Nats-Stream-Source} and the like)
 * are not part of it.
 *
 * <p>Without message ids, two messages with the same subject and payload are indistinguishable; treating them
 * as one is harmless for position carry-over, because processing either is the same work.
 */
public record MessageIdentity(String value) {

    /** The identity of a message with these subject, headers (may be null) and payload (may be null). */
    public static MessageIdentity of(String subject, Headers headers, byte[] data) {
        java.util.Objects.requireNonNull(subject, "subject");
        if (headers != null) {
            String id = headers.getFirst(MSG_ID_HDR);
            if (id != null && !id.isEmpty()) {
                return new MessageIdentity("id:" + id);
            }
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(subject.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            if (data != null) {
                sha.update(data);
            }
            return new MessageIdentity("sha256:" + HexFormat.of().formatHex(sha.digest()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
