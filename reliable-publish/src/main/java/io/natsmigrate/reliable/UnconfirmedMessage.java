package io.natsmigrate.reliable;

/**
 * A message whose ack had not arrived when a flush or close ended.
 *
 * @param subject its subject
 * @param msgId its Nats-Msg-Id: re-publish with it inside the duplicate window and the stream keeps one copy
 * @param attempts attempts made so far
 * @param lastFailure the last transient failure, or null when the first attempt is still waiting
 */
public record UnconfirmedMessage(String subject, String msgId, int attempts, FailureReason lastFailure) {
}
