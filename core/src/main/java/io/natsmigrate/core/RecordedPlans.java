package io.natsmigrate.core;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.KeyValueEntry;
import io.natsmigrate.primitives.JetStreamErrorCodes;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The plans recorded in a state bucket, read without their {@link MigrationPlan}: what an operator (or the
 * {@code natsmigrate} CLI) needs to answer "where are we?" and to release a lock whose holder is gone. Never
 * creates the bucket.
 *
 * <pre>{@code
 * RecordedPlans recorded = RecordedPlans.open(nc);        // bucket natsmigrate_plans
 * for (String plan : recorded.plans()) {
 *     System.out.println(plan + " " + recorded.state(plan).phase() + " " + recorded.lockHolder(plan));
 * }
 * }</pre>
 */
public final class RecordedPlans {

    private final PlanStore store;

    private RecordedPlans(PlanStore store) {
        this.store = store;
    }

    /** The default bucket, {@code natsmigrate_plans}. */
    public static RecordedPlans open(Connection nc) {
        return open(nc, PlanStore.DEFAULT_BUCKET);
    }

    /**
     * The plans in {@code bucket}.
     *
     * @throws MigrationException when the bucket does not exist (nothing was ever applied with it) or cannot be read
     */
    public static RecordedPlans open(Connection nc, String bucket) {
        return find(nc, bucket).orElseThrow(() -> new MigrationException("There is no plan state bucket " + bucket
                + " on this system: no plan was applied with it yet (or the runner used another bucket: pass its"
                + " name)"));
    }

    /** The plans in {@code bucket}, or empty when the bucket does not exist (nothing was applied with it yet). */
    public static Optional<RecordedPlans> find(Connection nc, String bucket) {
        Objects.requireNonNull(nc, "nc");
        Objects.requireNonNull(bucket, "bucket");
        try {
            nc.keyValueManagement().getStatus(bucket); // never creates the bucket, as PlanStore.open would
            return Optional.of(new RecordedPlans(PlanStore.open(nc, bucket, 0)));
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == JetStreamErrorCodes.STREAM_NOT_FOUND) {
                return Optional.empty();
            }
            throw new MigrationException("Could not open plan state bucket " + bucket + ": " + e, e);
        } catch (IOException e) {
            throw new MigrationException("Could not open plan state bucket " + bucket + ": " + e, e);
        }
    }

    /** The names of the plans with recorded state, sorted. */
    public List<String> plans() {
        return read("listing plans", () -> {
            TreeSet<String> names = new TreeSet<>();
            for (String key : store.kv().keys(List.of("plan.>"))) {
                names.add(key.substring("plan.".length()));
            }
            return List.copyOf(names);
        });
    }

    /** The recorded state of {@code plan}, with its history ({@link PlanState#initial} when there is none). */
    public PlanState state(String plan) {
        return read("reading plan " + plan, () -> store.read(plan, true));
    }

    /** The history of {@code plan}, oldest first. */
    public List<Transition> history(String plan) {
        return read("reading the history of plan " + plan, () -> store.readHistory(plan));
    }

    /** Who holds the plan's lock, if anyone (an expired lease is shown as expired). */
    public Optional<LockHolder> lockHolder(String plan) {
        return read("reading the lock of plan " + plan, () -> store.holder(plan));
    }

    /**
     * Releases the plan's lock whoever holds it (see {@link MigrationRunner#forceUnlock()}).
     *
     * @return who held it, if anyone
     */
    public Optional<LockHolder> forceUnlock(String plan) {
        return read("releasing the lock of plan " + plan, () -> store.forceUnlock(plan));
    }

    /** Whether {@code plan} has recorded state. */
    public boolean contains(String plan) {
        return read("reading plan " + plan, () -> {
            KeyValueEntry e = store.kv().get(PlanStore.stateKey(plan));
            return e != null && e.getValue() != null && e.getValue().length > 0;
        });
    }

    @FunctionalInterface
    private interface Read<T> {
        T get() throws IOException, JetStreamApiException, InterruptedException;
    }

    private static <T> T read(String what, Read<T> read) {
        try {
            return read.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrationException("Interrupted while " + what, e);
        } catch (IOException | JetStreamApiException e) {
            throw new MigrationException("Failed " + what + ": " + e, e);
        }
    }
}
