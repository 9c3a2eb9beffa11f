package io.natsmigrate.consumer;

import io.nats.client.Message;
import io.natsmigrate.primitives.MigrationHeaders;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One delivered message in a {@link ConsumerRunner}. Settle it once: by returning an {@link Outcome}, or, after
 * returning {@link Outcome#inProgress()}, by calling {@link #ack()}, {@link #nak(Duration)} or {@link #term(String)}.
 */
public final class Delivery {

    private final Message message;
    private final AtomicBoolean settled = new AtomicBoolean();
    private final Runnable onSettled;

    Delivery(Message message, Runnable onSettled) {
        this.message = message;
        this.onSettled = onSettled;
    }

    /** The message, with its headers, data and JetStream metadata. */
    public Message message() {
        return message;
    }

    /**
     * Its {@code Nats-Msg-Id}; for a message a schedule fired (which the server strips of it), the id it had
     * before the delay ({@code Delay-Original-Msg-Id}); null when neither is set. What the idempotency store keys on.
     */
    public String msgId() {
        return MigrationHeaders.msgId(message.getHeaders());
    }

    /** How many times it was delivered (1 the first time). */
    public long deliveryCount() {
        return message.metaData().deliveredCount();
    }

    public void ack() {
        settle(Outcome.ack());
    }

    public void nak(Duration delay) {
        settle(Outcome.nak(delay));
    }

    public void term(String reason) {
        settle(Outcome.term(reason));
    }

    boolean isSettled() {
        return settled.get();
    }

    /** Applies an outcome once; later calls are ignored. */
    boolean settle(Outcome o) {
        if (o.kind() == Outcome.Kind.IN_PROGRESS || !settled.compareAndSet(false, true)) {
            return false;
        }
        switch (o.kind()) {
            case ACK -> message.ack();
            case NAK -> {
                if (o.delay() == null) {
                    message.nak();
                } else {
                    message.nakWithDelay(o.delay());
                }
            }
            case TERM -> {
                // jnats's term() sends no reason; the protocol allows "+TERM <reason>", which the server puts in
                // the MSG_TERMINATED advisory (2.11+), and so into the dead letter.
                if (o.reason().isEmpty() || message.getReplyTo() == null) {
                    message.term();
                } else {
                    message.getConnection().publish(message.getReplyTo(),
                            ("+TERM " + o.reason()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
            }
            default -> throw new IllegalStateException("unreachable");
        }
        onSettled.run();
        return true;
    }
}
