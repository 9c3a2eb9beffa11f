package io.natsmigrate.reliable;

import io.nats.client.api.PublishAck;

/**
 * The outcome of one {@link OptimisticUpdater#update}.
 *
 * @param ack the ack of the write that won
 * @param attempts read-compute-write rounds it took (1 without contention)
 * @param conflicts rounds lost to another writer
 */
public record UpdateResult(PublishAck ack, int attempts, int conflicts) {
}
