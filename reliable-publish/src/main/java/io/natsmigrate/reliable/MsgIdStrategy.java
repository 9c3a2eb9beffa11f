package io.natsmigrate.reliable;

import io.nats.client.Message;
import io.nats.client.NUID;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.function.Function;

/**
 * Chooses the {@code Nats-Msg-Id} of a message once, before its first attempt; every retry reuses it, so the
 * stream stores the message once even when an ack was lost. A message that already carries a
 * {@code Nats-Msg-Id} header keeps it (the caller's business key wins).
 */
@FunctionalInterface
public interface MsgIdStrategy {

    /** The Msg-Id for {@code message}; never null or empty. */
    String msgIdFor(Message message);

    /**
     * The one rule for giving a message its Msg-Id, used by every publisher of this project: a {@code Nats-Msg-Id}
     * already in {@code headers} wins; otherwise this strategy chooses one and it is put into {@code headers}.
     *
     * @return the message's Msg-Id
     * @throws IllegalArgumentException when the strategy returns none (every message needs one so retries are
     *                                  deduplicated)
     */
    default String assignTo(String subject, io.nats.client.impl.Headers headers, byte[] data) {
        String msgId = headers.getFirst(ReliablePublisher.MSG_ID_HEADER);
        if (msgId != null && !msgId.isEmpty()) {
            return msgId;
        }
        msgId = msgIdFor(io.nats.client.impl.NatsMessage.builder().subject(subject).headers(headers).data(data)
                .build());
        if (msgId == null || msgId.isBlank()) {
            throw new IllegalArgumentException("The MsgIdStrategy returned no Msg-Id for a message to \"" + subject
                    + "\"; every message needs one so retries are deduplicated");
        }
        headers.put(ReliablePublisher.MSG_ID_HEADER, msgId);
        return msgId;
    }

    /** A unique id per message (jnats's NUID): protects retries, not re-sends by the application. The default. */
    static MsgIdStrategy nuid() {
        return m -> NUID.nextGlobal();
    }

    /**
     * A SHA-256 of subject, headers and payload: the same content always gets the same id, so an application
     * that re-sends a message (e.g. after its own restart) is deduplicated too. Only for content that is unique
     * per logical message.
     */
    static MsgIdStrategy contentHash() {
        return m -> {
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                sha.update(m.getSubject().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                if (m.getHeaders() != null) {
                    m.getHeaders().entrySet().stream()
                            .filter(e -> !e.getKey().equals(ReliablePublisher.MSG_ID_HEADER))
                            .sorted(java.util.Map.Entry.comparingByKey())
                            .forEach(e -> sha.update((e.getKey() + "=" + e.getValue() + "\n")
                                    .getBytes(StandardCharsets.UTF_8)));
                }
                sha.update((byte) 0);
                if (m.getData() != null) {
                    sha.update(m.getData());
                }
                return HexFormat.of().formatHex(sha.digest());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is missing from this JVM", e);
            }
        };
    }

    /** The application's business key, e.g. {@code businessKey(m -> "order-" + orderIdOf(m))}. */
    static MsgIdStrategy businessKey(Function<Message, String> key) {
        Objects.requireNonNull(key, "key");
        return key::apply;
    }
}
