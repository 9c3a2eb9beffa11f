package io.natsmigrate.core;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.KeyValueWatcher;
import io.nats.client.impl.NatsKeyValueWatchSubscription;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How other modules follow a plan's recorded phase without knowing its storage: read it once, or watch it and be
 * called with the current phase at once and on every change. The dual publisher switches its mode this way.
 *
 * <pre>{@code
 * try (PlanPhaseWatch watch = PlanPhaseWatch.watch(nc, "orders-to-jetstream", phase -> switchMode(phase))) {
 *     ...
 * }
 * }</pre>
 */
public final class PlanPhaseWatch implements AutoCloseable {

    private final NatsKeyValueWatchSubscription subscription;

    private PlanPhaseWatch(NatsKeyValueWatchSubscription subscription) {
        this.subscription = subscription;
    }

    /** The plan's recorded phase in the default bucket; empty before its first phase or when never applied. */
    public static Optional<String> currentPhase(Connection nc, String plan) {
        return currentPhase(nc, PlanStore.DEFAULT_BUCKET, plan);
    }

    /** The plan's recorded phase in {@code bucket}. */
    public static Optional<String> currentPhase(Connection nc, String bucket, String plan) {
        Objects.requireNonNull(plan, "plan");
        try {
            return Optional.ofNullable(PlanStore.open(nc, bucket, 0).readHead(plan).head().phase());
        } catch (IOException | JetStreamApiException e) {
            throw new MigrationException("Could not read the phase of plan " + plan + ": " + e, e);
        }
    }

    /** Calls {@code onPhase} with the current phase (null before the first) now and after every change. */
    public static PlanPhaseWatch watch(Connection nc, String plan, Consumer<String> onPhase) {
        return watch(nc, PlanStore.DEFAULT_BUCKET, plan, onPhase);
    }

    /** As {@link #watch(Connection, String, Consumer)} for a plan kept in {@code bucket}. */
    public static PlanPhaseWatch watch(Connection nc, String bucket, String plan, Consumer<String> onPhase) {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(onPhase, "onPhase");
        try {
            PlanStore store = PlanStore.open(nc, bucket, 0);
            KeyValueWatcher watcher = new KeyValueWatcher() {
                private String last = "\u0000unset";
                private boolean delivered;

                @Override
                public void watch(KeyValueEntry entry) {
                    String phase = null;
                    if (entry.getOperation() == KeyValueOperation.PUT) {
                        try {
                            phase = PlanStore.phaseOf(entry.getValue());
                        } catch (IOException e) {
                            return; // not a state document we understand: ignore rather than guess
                        }
                    }
                    deliver(phase);
                }

                @Override
                public void endOfData() {
                    if (!delivered) {
                        deliver(null); // never applied: report "before the first phase" once
                    }
                }

                private synchronized void deliver(String phase) {
                    delivered = true;
                    if (!Objects.equals(phase, last)) {
                        last = phase;
                        onPhase.accept(phase);
                    }
                }
            };
            return new PlanPhaseWatch(store.kv().watch(PlanStore.stateKey(plan), watcher));
        } catch (IOException | JetStreamApiException e) {
            throw new MigrationException("Could not watch plan " + plan + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrationException("Interrupted while starting the watch of plan " + plan, e);
        }
    }

    @Override
    public void close() {
        subscription.unsubscribe();
    }
}
