package io.natsmigrate.consumer;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.StorageType;
import io.natsmigrate.core.ClusterReplicas;
import io.natsmigrate.primitives.IdempotencyKeys;
import io.natsmigrate.primitives.JetStreamErrorCodes;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;

/**
 * Remembers which Msg-Ids a handler has processed, in a JetStream KV bucket whose entries expire after a TTL, so
 * at-least-once delivery becomes effectively-once for the handler: a redelivered message that was already
 * processed is acknowledged without running the handler again. Open the bucket named by
 * {@code CrossSystemRecipe.processedBucket(stream, consumer)} for a consumer moved by the cross-system recipe: the
 * move records there what the old system had already processed.
 *
 * <p>A Msg-Id is recorded <em>after</em> the handler succeeded: a crash between the two runs the handler again
 * (at-least-once), never skips unprocessed work. Keys follow {@link IdempotencyKeys} (SHA-256 of the Msg-Id).
 */
public final class IdempotencyStore {

    private final KeyValue kv;

    private IdempotencyStore(KeyValue kv) {
        this.kv = kv;
    }

    /**
     * Opens (or creates) bucket {@code bucket} with entries kept for {@code ttl}; a new bucket gets
     * {@link ClusterReplicas#defaultFor the default replicas} (min(3, cluster size)), so the records survive the
     * loss of a node.
     */
    public static IdempotencyStore open(Connection nc, String bucket, Duration ttl) {
        return open(nc, bucket, ttl, 0);
    }

    /** As {@link #open(Connection, String, Duration)}, a new bucket with {@code replicas} (0: the default). */
    public static IdempotencyStore open(Connection nc, String bucket, Duration ttl, int replicas) {
        Objects.requireNonNull(nc, "connection");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(ttl, "ttl");
        try {
            var kvm = nc.keyValueManagement();
            try {
                kvm.getStatus(bucket);
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() != JetStreamErrorCodes.STREAM_NOT_FOUND) {
                    throw e;
                }
                kvm.create(KeyValueConfiguration.builder().name(bucket).ttl(ttl).maxHistoryPerKey(1)
                        .replicas(ClusterReplicas.resolve(nc, replicas)).storageType(StorageType.File).build());
            }
            return new IdempotencyStore(nc.keyValue(bucket));
        } catch (IOException | JetStreamApiException e) {
            throw new ConsumerPatternsException("Could not open idempotency bucket " + bucket + ": " + e.getMessage(), e);
        }
    }

    /** True when {@code msgId} was recorded as processed and has not expired. */
    public boolean seen(String msgId) throws IOException, JetStreamApiException {
        KeyValueEntry e = kv.get(key(msgId));
        return e != null && e.getOperation() == KeyValueOperation.PUT;
    }

    /** Records {@code msgId} as processed. */
    public void record(String msgId) throws IOException, JetStreamApiException {
        kv.put(key(msgId), new byte[0]);
    }

    private static String key(String msgId) {
        return IdempotencyKeys.of(msgId);
    }
}
