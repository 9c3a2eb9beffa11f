package io.natsmigrate.reliable;

import io.nats.client.api.PublishAck;

import java.time.Duration;

/**
 * Events of a {@link ReliablePublisher}. Called on the client's threads: return quickly and do not block.
 * Every method has an empty default.
 */
public interface PublishListener {

    /** An attempt was sent ({@code attempt} starts at 1). */
    default void published(String subject, String msgId, int attempt) {
    }

    /** The server stored the message. */
    default void acked(String subject, String msgId, PublishAck ack) {
    }

    /** The server already had the Msg-Id inside its duplicate window: stored once, counts as success. */
    default void duplicate(String subject, String msgId, PublishAck ack) {
    }

    /** An attempt failed transiently; the next starts after {@code delay}. */
    default void retried(String subject, String msgId, int failedAttempt, FailureReason reason, Duration delay) {
    }

    /** The message failed for good; its future completed with {@code failure}. */
    default void failed(String subject, String msgId, ReliablePublishException failure) {
    }

    /** The in-flight window is full and a caller starts waiting for room (the first of possibly several). */
    default void backpressureStarted(int inFlight, int maxInFlight) {
    }

    /** No caller waits for room any more; the first one started waiting {@code blocked} ago. */
    default void backpressureEnded(Duration blocked) {
    }

    /** The publisher this listener was given to was built (for gauges that read {@link ReliablePublisher#stats()}). */
    default void attached(ReliablePublisher publisher) {
    }
}
