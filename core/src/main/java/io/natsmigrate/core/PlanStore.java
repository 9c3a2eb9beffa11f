package io.natsmigrate.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.StorageType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The JetStream KV bucket holding plans' state ({@code plan.<name>}) and lease locks ({@code lock.<name>}).
 * Every write is a compare-and-set on the key's revision.
 */
final class PlanStore {

    /** The default bucket. */
    static final String DEFAULT_BUCKET = "natsmigrate_plans";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A state and the KV revision it was read at (0: never written). */
    record Versioned(PlanState state, long revision) {
    }

    private final KeyValue kv;
    private final String bucket;

    private PlanStore(KeyValue kv, String bucket) {
        this.kv = kv;
        this.bucket = bucket;
    }

    /** Opens the bucket, creating it (file storage, history 1) when missing. */
    static PlanStore open(Connection nc, String bucket) throws IOException, JetStreamApiException {
        KeyValueManagement kvm = nc.keyValueManagement();
        try {
            kvm.getStatus(bucket);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != JetStreamErrorCodes.STREAM_NOT_FOUND) {
                throw e;
            }
            try {
                kvm.create(KeyValueConfiguration.builder().name(bucket).storageType(StorageType.File)
                        .maxHistoryPerKey(1).description("natsmigrate plan state and locks").build());
            } catch (JetStreamApiException raced) {
                kvm.getStatus(bucket); // another instance created it first: fine if it exists now
            }
        }
        return new PlanStore(nc.keyValue(bucket), bucket);
    }

    String bucket() {
        return bucket;
    }

    static String stateKey(String plan) {
        return "plan." + plan;
    }

    static String lockKey(String plan) {
        return "lock." + plan;
    }

    Versioned read(String plan) throws IOException, JetStreamApiException {
        KeyValueEntry e = kv.get(stateKey(plan));
        if (e == null || e.getOperation() != KeyValueOperation.PUT) {
            return new Versioned(PlanState.initial(plan), e == null ? 0 : e.getRevision());
        }
        return new Versioned(decode(e.getValue()), e.getRevision());
    }

    static PlanState decode(byte[] value) throws IOException {
        return JSON.readValue(value, PlanState.class);
    }

    /** Writes {@code state} if the key is still at {@code revision}; returns the new revision. */
    long write(String plan, PlanState state, long revision) throws IOException, JetStreamApiException {
        byte[] value = JSON.writeValueAsBytes(state);
        try {
            return revision == 0 ? kv.create(stateKey(plan), value) : kv.update(stateKey(plan), value, revision);
        } catch (JetStreamApiException e) {
            if (JetStreamErrorCodes.isWrongLastSequence(e.getApiErrorCode())) {
                throw new StateConflictException(plan, "expected revision " + revision);
            }
            throw e;
        }
    }

    // ------------------------------------------------------------------------------------------ lease lock

    /** A held lease. */
    record Lease(String plan, String instance, long revision) {
    }

    /**
     * Takes the plan's lease, or an expired one from a crashed holder.
     *
     * @throws PlanLockedException when another instance holds an unexpired lease
     */
    Lease acquire(String plan, String instance, Duration lease) throws IOException, JetStreamApiException {
        byte[] value = leaseValue(instance, lease);
        String key = lockKey(plan);
        try {
            return new Lease(plan, instance, kv.create(key, value));
        } catch (JetStreamApiException e) {
            if (!JetStreamErrorCodes.isWrongLastSequence(e.getApiErrorCode())) {
                throw e;
            }
        }
        KeyValueEntry current = kv.get(key);
        if (current == null) {
            return acquire(plan, instance, lease); // released in between
        }
        Map<?, ?> holder = JSON.readValue(current.getValue(), Map.class);
        String holderId = String.valueOf(holder.get("instance"));
        Instant expires = Instant.ofEpochMilli(((Number) holder.get("expiresAt")).longValue());
        if (!holderId.equals(instance) && Instant.now().isBefore(expires)) {
            throw new PlanLockedException(plan, holderId, expires);
        }
        try {
            return new Lease(plan, instance, kv.update(key, value, current.getRevision()));
        } catch (JetStreamApiException e) {
            if (JetStreamErrorCodes.isWrongLastSequence(e.getApiErrorCode())) {
                KeyValueEntry winner = kv.get(key);
                Map<?, ?> w = winner == null ? Map.of() : JSON.readValue(winner.getValue(), Map.class);
                throw new PlanLockedException(plan, String.valueOf(w.get("instance")), Instant.now().plus(lease));
            }
            throw e;
        }
    }

    /** Extends the lease; returns the new lease, or throws when it was taken over. */
    Lease renew(Lease held, Duration lease) throws IOException, JetStreamApiException {
        long rev = kv.update(lockKey(held.plan()), leaseValue(held.instance(), lease), held.revision());
        return new Lease(held.plan(), held.instance(), rev);
    }

    /** Gives the lease up, unless it was taken over meanwhile. */
    void release(Lease held) {
        try {
            kv.delete(lockKey(held.plan()), held.revision());
        } catch (IOException | JetStreamApiException | RuntimeException ignored) {
            // taken over or unreachable: the lease expires by itself
        }
    }

    private static byte[] leaseValue(String instance, Duration lease) throws IOException {
        return JSON.writeValueAsString(Map.of("instance", instance,
                "expiresAt", Instant.now().plus(lease).toEpochMilli())).getBytes(StandardCharsets.UTF_8);
    }

    KeyValue kv() {
        return kv;
    }
}
