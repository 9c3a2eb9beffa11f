package io.natsmigrate.dualpublish;

import io.nats.client.api.PublishAck;

/** Events of a {@link DualPublisher}; empty defaults; called on client threads, so return quickly. */
public interface DualPublishListener {

    /** The mode changed (in code or from the plan's phase). */
    default void modeChanged(PublishMode from, PublishMode to, String reason) {
    }

    /** A mode change was refused (e.g. JetStream-only while the stream is missing); the mode stays. */
    default void modeChangeRefused(PublishMode current, PublishMode wanted, Exception why) {
    }

    /** The JetStream leg stored the message (possibly as a duplicate of an earlier attempt). */
    default void jetStreamStored(String subject, String msgId, PublishAck ack) {
    }

    /** The JetStream leg gave up within its bound; the message is kept for replay. */
    default void jetStreamUndelivered(UndeliveredMessage message) {
    }

    /**
     * The replay store is full: this message is handed to the application instead of being kept (persist it
     * elsewhere). Nothing is dropped without this call.
     */
    default void undeliveredOverflow(UndeliveredMessage message) {
    }
}
