package io.natsmigrate.reliable;

/**
 * The validated ack of a committed atomic batch.
 *
 * @param stream the stream that stored the batch
 * @param lastSequence the sequence of the batch's last stored message (earlier ones precede it)
 * @param batchId the batch id
 * @param count messages stored
 */
public record BatchAck(String stream, long lastSequence, String batchId, int count) {
}
