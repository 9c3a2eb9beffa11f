package io.natsmigrate.core;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.KeyValueWatchOption;
import io.nats.client.api.KeyValueWatcher;
import io.nats.client.api.StorageType;
import io.natsmigrate.primitives.JetStreamErrorCodes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The JetStream KV bucket holding plans' state and lease locks. Per plan:
 * <ul>
 *   <li>{@code plan.<name>}: the head, small and of fixed size: format, phase, in-progress marker, last history
 *       sequence. Written only with compare-and-set on its revision: that is what keeps two runners from both
 *       advancing a plan.</li>
 *   <li>{@code step.<name>.<id>}: one applied step ({@code id}: a hash of the step name).</li>
 *   <li>{@code hist.<name>.<seq>}: one history entry, append-only.</li>
 *   <li>{@code lock.<name>}: the lease.</li>
 * </ul>
 * So every write is one small value whatever the plan's size or age. State written by 0.1.0 (everything in the head)
 * is read as it is and converted on the next apply or rollback.
 */
final class PlanStore {

    /** The default bucket. */
    static final String DEFAULT_BUCKET = "natsmigrate_plans";
    /** The head's format; 0.1.0 wrote none (and everything in one value). */
    static final int FORMAT = 2;
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final Duration READ_ALL_TIMEOUT = Duration.ofSeconds(60);

    /** The head of a plan's state. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Head(int format, String plan, String phase, PlanState.InProgress inProgress, long lastSeq) {
        Head withPhase(String p, long seq) {
            return new Head(FORMAT, plan, p, null, seq);
        }

        Head withMarker(PlanState.InProgress marker, long seq) {
            return new Head(FORMAT, plan, phase, marker, seq);
        }
    }

    /** A head and the KV revision it was read at (0: never written); {@code legacy} for state written by 0.1.0. */
    record VersionedHead(Head head, long revision, PlanState legacy) {
    }

    /** One applied step as stored under its own key. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    record StepEntry(String step, StepResult.Action action, String undo, String at, String instance) {
        PlanState.AppliedStep applied() {
            return new PlanState.AppliedStep(action, undo, at, instance);
        }
    }

    /** A held lease: the runner's token is what makes it this runner's, whatever instance id it shows. */
    record Lease(String plan, String instance, String token, long revision) {
    }

    private final KeyValue kv;
    private final String bucket;
    private final int replicas;

    private PlanStore(KeyValue kv, String bucket, int replicas) {
        this.kv = kv;
        this.bucket = bucket;
        this.replicas = replicas;
    }

    /**
     * Opens the bucket, creating it (file storage, history 1, {@code replicas}; 0: min(3, cluster size)) when missing.
     * An existing bucket keeps its replicas ({@link #replicas()} tells them).
     */
    static PlanStore open(Connection nc, String bucket, int replicas) throws IOException, JetStreamApiException {
        KeyValueManagement kvm = nc.keyValueManagement();
        int live;
        try {
            live = kvm.getStatus(bucket).getReplicas();
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != JetStreamErrorCodes.STREAM_NOT_FOUND) {
                throw e;
            }
            live = ClusterReplicas.resolve(nc, replicas);
            try {
                kvm.create(KeyValueConfiguration.builder().name(bucket).storageType(StorageType.File)
                        .maxHistoryPerKey(1).replicas(live).description("natsmigrate plan state and locks").build());
            } catch (JetStreamApiException raced) {
                live = kvm.getStatus(bucket).getReplicas(); // another instance created it first: fine if it exists
            }
        }
        return new PlanStore(nc.keyValue(bucket), bucket, live);
    }

    String bucket() {
        return bucket;
    }

    /** The bucket's replicas as it exists on the server. */
    int replicas() {
        return replicas;
    }

    static String stateKey(String plan) {
        return "plan." + plan;
    }

    static String lockKey(String plan) {
        return "lock." + plan;
    }

    static String stepKey(String plan, String step) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(step.getBytes(StandardCharsets.UTF_8));
            return "step." + plan + "." + HexFormat.of().formatHex(h, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }

    static String historyKey(String plan, long seq) {
        return "hist." + plan + "." + seq;
    }

    // ------------------------------------------------------------------------------------------ reading

    VersionedHead readHead(String plan) throws IOException, JetStreamApiException {
        KeyValueEntry e = kv.get(stateKey(plan));
        if (e == null || e.getOperation() != KeyValueOperation.PUT) {
            return new VersionedHead(new Head(FORMAT, plan, null, null, 0), e == null ? 0 : e.getRevision(), null);
        }
        JsonNode node = JSON.readTree(e.getValue());
        if (node.path("format").asInt(0) < FORMAT) {
            PlanState legacy = JSON.treeToValue(node, PlanState.class);
            long last = legacy.history().isEmpty() ? 0 : legacy.history().get(legacy.history().size() - 1).seq();
            return new VersionedHead(new Head(0, plan, legacy.phase(), legacy.inProgress(), last), e.getRevision(),
                    legacy);
        }
        return new VersionedHead(JSON.treeToValue(node, Head.class), e.getRevision(), null);
    }

    /** The phase recorded in a head value of either format. */
    static String phaseOf(byte[] headValue) throws IOException {
        return JSON.readTree(headValue).path("phase").textValue();
    }

    Map<String, PlanState.AppliedStep> readSteps(String plan) throws IOException, JetStreamApiException {
        Map<String, PlanState.AppliedStep> steps = new LinkedHashMap<>();
        readAll("step." + plan + ".>", v -> {
            StepEntry s = JSON.readValue(v, StepEntry.class);
            steps.put(s.step(), s.applied());
        });
        return steps;
    }

    List<Transition> readHistory(String plan) throws IOException, JetStreamApiException {
        List<Transition> history = new ArrayList<>();
        readAll("hist." + plan + ".>", v -> history.add(JSON.readValue(v, Transition.class)));
        history.sort(Comparator.comparingLong(Transition::seq));
        return history;
    }

    /** The whole state; {@code withHistory} false leaves the history out (a run does not need it). */
    PlanState read(String plan, boolean withHistory) throws IOException, JetStreamApiException {
        VersionedHead v = readHead(plan);
        if (v.legacy() != null) {
            PlanState l = v.legacy();
            return withHistory ? l : new PlanState(l.plan(), l.phase(), l.steps(), l.inProgress(), List.of());
        }
        Head h = v.head();
        return new PlanState(plan, h.phase(), readSteps(plan), h.inProgress(),
                withHistory ? readHistory(plan) : List.of());
    }

    /** Every current value under a key pattern, in one pass over the bucket (no request per key). */
    private void readAll(String pattern, ValueReader reader) throws IOException, JetStreamApiException {
        CountDownLatch done = new CountDownLatch(1);
        List<Exception> failures = new ArrayList<>();
        KeyValueWatcher watcher = new KeyValueWatcher() {
            @Override
            public void watch(KeyValueEntry entry) {
                if (entry.getOperation() == KeyValueOperation.PUT) {
                    try {
                        reader.read(entry.getValue());
                    } catch (IOException | RuntimeException e) {
                        failures.add(e);
                    }
                }
            }

            @Override
            public void endOfData() {
                done.countDown();
            }
        };
        try (var sub = kv.watch(pattern, watcher, KeyValueWatchOption.IGNORE_DELETE)) {
            if (!done.await(READ_ALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("Reading " + pattern + " from bucket " + bucket + " did not finish within "
                        + READ_ALL_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while reading " + pattern, e);
        } catch (Exception e) {
            if (e instanceof IOException io) {
                throw io;
            }
            if (e instanceof JetStreamApiException api) {
                throw api;
            }
            throw new IOException("Could not read " + pattern + " from bucket " + bucket + ": " + e, e);
        }
        if (!failures.isEmpty()) {
            throw new IOException("Unreadable value under " + pattern + " in bucket " + bucket + ": "
                    + failures.get(0), failures.get(0));
        }
    }

    @FunctionalInterface
    private interface ValueReader {
        void read(byte[] value) throws IOException;
    }

    // ------------------------------------------------------------------------------------------ writing

    /** Writes the head if its key is still at {@code revision}; returns the new revision. */
    long writeHead(String plan, Head head, long revision) throws IOException, JetStreamApiException {
        byte[] value = JSON.writeValueAsBytes(head);
        try {
            return revision == 0 ? kv.create(stateKey(plan), value) : kv.update(stateKey(plan), value, revision);
        } catch (JetStreamApiException e) {
            if (JetStreamErrorCodes.isWrongLastSequence(e.getApiErrorCode())) {
                throw new StateConflictException(plan, "expected revision " + revision);
            }
            throw e;
        }
    }

    void putStep(String plan, String step, PlanState.AppliedStep applied) throws IOException, JetStreamApiException {
        kv.put(stepKey(plan, step), JSON.writeValueAsBytes(new StepEntry(step, applied.action(), applied.undo(),
                applied.at(), applied.instance())));
    }

    void deleteStep(String plan, String step) throws IOException, JetStreamApiException {
        kv.purge(stepKey(plan, step));
    }

    /**
     * Appends {@code t} under its sequence; if another writer (a crashed run whose head was not written yet) took
     * that sequence, under the next free one. Returns the sequence used.
     */
    long appendHistory(String plan, Transition t) throws IOException, JetStreamApiException {
        Transition entry = t;
        while (true) {
            try {
                kv.create(historyKey(plan, entry.seq()), JSON.writeValueAsBytes(entry));
                return entry.seq();
            } catch (JetStreamApiException e) {
                if (!JetStreamErrorCodes.isWrongLastSequence(e.getApiErrorCode())) {
                    throw e;
                }
                entry = entry.withSeq(entry.seq() + 1);
            }
        }
    }

    /**
     * Rewrites state of 0.1.0 (one value) in this format: a key per step and per transition, then the head (the
     * compare-and-set that completes the conversion). Safe to repeat after a crash. Returns the head's revision.
     */
    long convertLegacy(String plan, VersionedHead v) throws IOException, JetStreamApiException {
        PlanState legacy = v.legacy();
        for (Map.Entry<String, PlanState.AppliedStep> s : legacy.steps().entrySet()) {
            putStep(plan, s.getKey(), s.getValue());
        }
        for (Transition t : legacy.history()) {
            try {
                kv.create(historyKey(plan, t.seq()), JSON.writeValueAsBytes(t));
            } catch (JetStreamApiException e) {
                if (!JetStreamErrorCodes.isWrongLastSequence(e.getApiErrorCode())) {
                    throw e;
                }
            }
        }
        Head h = v.head();
        return writeHead(plan, new Head(FORMAT, plan, h.phase(), h.inProgress(), h.lastSeq()), v.revision());
    }

    // ------------------------------------------------------------------------------------------ lease lock

    /**
     * Takes the plan's lease for the runner with {@code token}, or an expired one from a crashed holder. Another
     * runner's lease is another runner's even when it shows the same instance id.
     *
     * @throws PlanLockedException when another runner holds an unexpired lease
     */
    Lease acquire(String plan, String instance, String token, Duration lease) throws IOException, JetStreamApiException {
        String key = lockKey(plan);
        Instant now = Instant.now();
        byte[] value = leaseValue(instance, token, now, lease);
        try {
            return new Lease(plan, instance, token, kv.create(key, value));
        } catch (JetStreamApiException e) {
            if (!JetStreamErrorCodes.isWrongLastSequence(e.getApiErrorCode())) {
                throw e;
            }
        }
        KeyValueEntry current = kv.get(key);
        if (current == null || current.getOperation() != KeyValueOperation.PUT) {
            return acquire(plan, instance, token, lease); // released in between
        }
        LockHolder holder = holderOf(plan, current.getValue());
        boolean mine = token.equals(JSON.readTree(current.getValue()).path("token").asText(null));
        if (!mine && !holder.expired()) {
            throw new PlanLockedException(plan, holder.instance(), holder.expiresAt());
        }
        try {
            return new Lease(plan, instance, token, kv.update(key, value, current.getRevision()));
        } catch (JetStreamApiException e) {
            if (JetStreamErrorCodes.isWrongLastSequence(e.getApiErrorCode())) {
                KeyValueEntry winner = kv.get(key);
                LockHolder w = winner == null ? holder : holderOf(plan, winner.getValue());
                throw new PlanLockedException(plan, w.instance(), w.expiresAt());
            }
            throw e;
        }
    }

    /** Extends the lease; returns the new lease, or throws when it was taken over or force-unlocked. */
    Lease renew(Lease held, Duration lease, Instant acquiredAt) throws IOException, JetStreamApiException {
        long rev = kv.update(lockKey(held.plan()), leaseValue(held.instance(), held.token(), acquiredAt, lease),
                held.revision());
        return new Lease(held.plan(), held.instance(), held.token(), rev);
    }

    /** Gives the lease up, unless it was taken over meanwhile. */
    void release(Lease held) {
        try {
            kv.delete(lockKey(held.plan()), held.revision());
        } catch (IOException | JetStreamApiException | RuntimeException ignored) {
            // taken over or unreachable: the lease expires by itself
        }
    }

    /** Who holds the plan's lease now, if anyone (an expired lease is still shown, as expired). */
    Optional<LockHolder> holder(String plan) throws IOException, JetStreamApiException {
        KeyValueEntry e = kv.get(lockKey(plan));
        if (e == null || e.getOperation() != KeyValueOperation.PUT) {
            return Optional.empty();
        }
        return Optional.of(holderOf(plan, e.getValue()));
    }

    /** Removes the plan's lease whoever holds it; returns who held it. */
    Optional<LockHolder> forceUnlock(String plan) throws IOException, JetStreamApiException {
        KeyValueEntry e = kv.get(lockKey(plan));
        if (e == null || e.getOperation() != KeyValueOperation.PUT) {
            return Optional.empty();
        }
        LockHolder h = holderOf(plan, e.getValue());
        kv.delete(lockKey(plan), e.getRevision());
        return Optional.of(h);
    }

    private static LockHolder holderOf(String plan, byte[] value) throws IOException {
        JsonNode n = JSON.readTree(value);
        long acquired = n.path("acquiredAt").asLong(0);
        return new LockHolder(plan, n.path("instance").asText(), acquired == 0 ? null : Instant.ofEpochMilli(acquired),
                Instant.ofEpochMilli(n.path("expiresAt").asLong(0)));
    }

    private static byte[] leaseValue(String instance, String token, Instant acquiredAt, Duration lease)
            throws IOException {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("instance", instance);
        v.put("token", token);
        v.put("acquiredAt", acquiredAt.toEpochMilli());
        v.put("expiresAt", Instant.now().plus(lease).toEpochMilli());
        return JSON.writeValueAsBytes(v);
    }

    KeyValue kv() {
        return kv;
    }

    /** For tests and tools: a state value as the store writes it. */
    static byte[] encode(Object value) throws IOException {
        return JSON.writeValueAsBytes(value);
    }
}
