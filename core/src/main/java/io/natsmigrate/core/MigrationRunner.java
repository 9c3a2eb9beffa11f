package io.natsmigrate.core;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.natsmigrate.primitives.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Runs a {@link MigrationPlan} against a server: preflight, dry run, apply up to a phase, roll back to a phase,
 * status, and the lease lock for operators. A facade over one small command per operation.
 *
 * <p>State lives in a JetStream KV bucket ({@code natsmigrate_plans} by default, replicated like the data it
 * describes: min(3, cluster size) on a cluster), one small key per plan head, applied step and history entry, so a
 * write costs the same whatever the plan's size or age. The head is written only with compare-and-set. Apply and
 * rollback hold a lease lock ({@code lock.<plan>}) that belongs to this runner object, renewed every third of the
 * lease; a crashed holder's lease expires and the next runner takes it over, and a runner that finds the lock held
 * waits for it (up to the lock wait, 60 s by default). Every step writes an in-progress marker with the step's live
 * state before it runs, so re-running after a crash or a failed call converges, and what a failed create made is
 * recorded as created and removed by rollback. Transient cluster errors (leader elections, timeouts, 503) are retried
 * within a bound (60 s by default). A re-apply of an unchanged plan writes nothing.
 *
 * <p><b>Embedded in many replicas.</b> Every replica of a service may call {@code applyTo(phase)} at startup: one
 * applies, the others wait for the lock and then find the phase reached, and asking for a phase the plan has already
 * passed returns where the plan is (rollback stays explicit). Each runner gets its own lease token, so replicas that
 * show the same instance id still exclude each other.
 */
public final class MigrationRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MigrationRunner.class);

    private final RunnerSettings settings;
    private final ScheduledExecutorService heartbeat;

    private MigrationRunner(Builder b) throws Exception {
        // Retried like any state access: a runner built while the bucket's leader is elected waits for it.
        PlanStore store = TransientErrors.retry(b.nc, b.transientRetry, "Plan " + b.plan.name() + ": opening the state"
                + " bucket " + b.bucket, () -> PlanStore.open(b.nc, b.bucket, b.replicas));
        this.settings = new RunnerSettings(b.plan, b.nc, b.instanceId, UUID.randomUUID().toString(), b.lease,
                b.lockWait, b.transientRetry, List.copyOf(b.listeners), store, b.replicas);
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(
                DaemonThreads.named("natsmigrate-lease-" + b.plan.name()));
    }

    static Builder builder(MigrationPlan plan, Connection nc) {
        return new Builder(plan, nc);
    }

    public MigrationPlan plan() {
        return settings.plan();
    }

    /** The instance id shown in locks and history. */
    public String instanceId() {
        return settings.instanceId();
    }

    /** The recorded state with its history (initial when never applied). */
    public PlanState state() {
        return read(true);
    }

    /** The recorded history, oldest first. */
    public List<Transition> history() {
        try {
            PlanStore.VersionedHead v = settings.store().readHead(settings.planName());
            return v.legacy() != null ? v.legacy().history() : settings.store().readHistory(settings.planName());
        } catch (IOException | JetStreamApiException e) {
            throw unreadable(e);
        }
    }

    private PlanState read(boolean withHistory) {
        try {
            return TransientErrors.retry(settings.nc(), settings.transientRetry(), "Plan " + settings.planName() + ": reading its"
                    + " state", () -> settings.store().read(settings.planName(), withHistory));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreadable(e);
        } catch (Exception e) {
            throw unreadable(e);
        }
    }

    private MigrationException unreadable(Exception e) {
        return new MigrationException("Could not read the state of plan " + settings.planName() + " from bucket "
                + settings.store().bucket() + ": " + e, e);
    }

    /**
     * Checks the server before any change: JetStream enabled, version new enough for the plan's features, declared
     * existing streams present, account limits large enough for the plan's streams.
     *
     * @return warnings that do not stop the plan but can cost messages (limits that drop what durable consumers
     *         have not received) or resilience (a state bucket with fewer replicas than asked)
     * @throws PreflightException listing every problem with its fix
     */
    public PreflightReport preflight() {
        PreflightReport report = new PreflightCommand(settings).run();
        report.warnings().forEach(w -> LOG.warn("Plan {}: {}", settings.planName(), w));
        return report;
    }

    /** What {@link #applyTo} would do now, per step, without changing anything. */
    public DryRun dryRun(String targetPhase) {
        int target = settings.plan().phaseIndex(targetPhase);
        return new DryRunCommand(settings).run(read(false), target, targetPhase);
    }

    /** Applies every phase up to and including {@code targetPhase}, with no irreversible step confirmed. */
    public ApplyResult applyTo(String targetPhase) {
        return applyTo(targetPhase, ApplyOptions.defaults());
    }

    /**
     * Applies every phase up to and including {@code targetPhase}. A phase the plan has already passed is no error:
     * nothing changes and the result's {@code toPhase} says where the plan is.
     *
     * @throws ConfirmationRequiredException before any change when an irreversible step is not confirmed
     * @throws PlanLockedException when another runner still holds the lock after the lock wait
     * @throws GateTimeoutException when a gate does not pass in time (completed steps stay recorded)
     * @throws StepFailedException when a step fails, transient errors included once they outlast the retry bound
     *                             (completed steps stay recorded; the failed step's marker lets the next run finish
     *                             or undo it)
     */
    public ApplyResult applyTo(String targetPhase, ApplyOptions options) {
        Objects.requireNonNull(options, "options");
        int target = settings.plan().phaseIndex(targetPhase);
        return locked(run -> new ApplyCommand(settings).run(run, target, options));
    }

    /** Rolls back to {@code targetPhase} (its steps stay applied; later phases' steps are undone). */
    public ApplyResult rollbackTo(String targetPhase) {
        int target = settings.plan().phaseIndex(targetPhase);
        return locked(run -> new RollbackCommand(settings).run(run, target));
    }

    /** Rolls back every step: the plan is back where it started. */
    public ApplyResult rollbackToStart() {
        return locked(run -> new RollbackCommand(settings).run(run, -1));
    }

    /** Phases, steps (recorded and live), live stream and consumer figures, warnings. */
    public StatusReport status() {
        return new StatusCommand(settings).run(read(false));
    }

    /** Who holds this plan's lease lock now, if anyone (an expired lease is shown as expired). */
    public Optional<LockHolder> lockHolder() {
        try {
            return settings.store().holder(settings.planName());
        } catch (IOException | JetStreamApiException e) {
            throw new MigrationException("Could not read the lock of plan " + settings.planName() + ": " + e, e);
        }
    }

    /**
     * Releases the plan's lease lock whoever holds it, for an operator whose holder is known to be gone (a killed
     * pod) and who will not wait for the lease to expire. A holder that is in fact still running loses its lease
     * and stops writing state at its next renewal or write.
     *
     * @return who held it, if anyone
     */
    public Optional<LockHolder> forceUnlock() {
        try {
            Optional<LockHolder> h = settings.store().forceUnlock(settings.planName());
            h.ifPresent(holder -> LOG.warn("Plan {}: lock of {} released by force (instance {})",
                    settings.planName(), holder, settings.instanceId()));
            return h;
        } catch (IOException | JetStreamApiException e) {
            throw new MigrationException("Could not release the lock of plan " + settings.planName() + ": " + e, e);
        }
    }

    /** Work done while holding the lease. */
    @FunctionalInterface
    private interface LockedWork {
        ApplyResult run(RunSession run) throws Exception;
    }

    /** Takes the lease (waiting for another runner), reads the state, runs the work, gives the lease back. */
    private ApplyResult locked(LockedWork work) {
        try (LeaseKeeper keeper = LeaseKeeper.acquire(settings, heartbeat)) {
            PlanStore store = settings.store();
            String plan = settings.planName();
            PlanStore.VersionedHead v = TransientErrors.retry(settings.nc(), settings.transientRetry(), "Plan " + plan
                    + ": reading its state", () -> store.readHead(plan));
            long revision = v.revision();
            PlanStore.Head head = v.head();
            if (v.legacy() != null) {
                revision = store.convertLegacy(plan, v);
                head = new PlanStore.Head(PlanStore.FORMAT, plan, head.phase(), head.inProgress(), head.lastSeq());
                LOG.info("Plan {}: state written by natsmigrate 0.1 converted to one key per step and transition",
                        plan);
            }
            var steps = TransientErrors.retry(settings.nc(), settings.transientRetry(), "Plan " + plan + ": reading its steps",
                    () -> store.readSteps(plan));
            RunSession run = new RunSession(settings, keeper, head, revision, steps);
            settings.listeners().forEach(l -> l.lockAcquired(plan, settings.instanceId()));
            try {
                return work.run(run);
            } finally {
                settings.listeners().forEach(l -> l.lockReleased(plan, settings.instanceId()));
            }
        } catch (MigrationException | IllegalStateException | IllegalArgumentException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrationException("Interrupted; completed steps stay recorded, re-run to continue", e);
        } catch (Exception e) {
            throw new MigrationException("Plan " + settings.planName() + " stopped: " + e, e);
        }
    }

    /** Stops the lease heartbeat thread. Does not close the connection. */
    @Override
    public void close() {
        heartbeat.shutdownNow();
    }

    /** Configures a {@link MigrationRunner}. */
    public static final class Builder {
        private final MigrationPlan plan;
        private final Connection nc;
        private String instanceId = defaultInstanceId();
        private Duration lease = Duration.ofSeconds(30);
        private String bucket = PlanStore.DEFAULT_BUCKET;
        private int replicas;
        private Duration lockWait = Duration.ofSeconds(60);
        private Duration transientRetry = Duration.ofSeconds(60);
        private final List<MigrationListener> listeners = new ArrayList<>();

        private Builder(MigrationPlan plan, Connection nc) {
            this.plan = Objects.requireNonNull(plan, "plan");
            this.nc = Objects.requireNonNull(nc, "connection");
        }

        /**
         * Who this instance is, shown in locks and history (default: {@code host/pid/random}). Only shown: the lock
         * belongs to the runner object, so runners with the same id still exclude each other.
         */
        public Builder instanceId(String id) {
            Objects.requireNonNull(id, "id");
            if (id.isBlank()) {
                throw new IllegalArgumentException("instanceId must not be blank");
            }
            this.instanceId = id;
            return this;
        }

        /** How long the lock survives without renewal, i.e. how soon a crashed holder's lock is recovered. */
        public Builder lease(Duration lease) {
            Objects.requireNonNull(lease, "lease");
            if (lease.toMillis() < 300) {
                throw new IllegalArgumentException("lease must be at least 300 ms, was " + lease);
            }
            this.lease = lease;
            return this;
        }

        /** The KV bucket for state and locks (default {@code natsmigrate_plans}). */
        public Builder bucket(String bucket) {
            Objects.requireNonNull(bucket, "bucket");
            if (!io.natsmigrate.primitives.NameRules.isToken(bucket)) {
                throw new IllegalArgumentException("Bucket name \"" + bucket + "\" is invalid: letters, digits, '_'"
                        + " and '-' only");
            }
            this.bucket = bucket;
            return this;
        }

        /**
         * Replicas of the state bucket when this runner creates it (default 0: min(3, cluster size) on a cluster, 1
         * on a single server). An existing bucket keeps its own; preflight warns when it has fewer than asked.
         */
        public Builder replicas(int replicas) {
            if (replicas < 0) {
                throw new IllegalArgumentException("replicas must be 1 or more (0: the default, min(3, cluster"
                        + " size)), was " + replicas);
            }
            this.replicas = replicas;
            return this;
        }

        /**
         * How long apply and rollback wait for another runner's lock before {@link PlanLockedException} (default
         * 60 s, twice the default lease, so a crashed holder's lease has run out by then). {@code Duration.ZERO}
         * fails at once.
         */
        public Builder lockWait(Duration wait) {
            Objects.requireNonNull(wait, "lockWait");
            if (wait.isNegative()) {
                throw new IllegalArgumentException("lockWait must not be negative, was " + wait);
            }
            this.lockWait = wait;
            return this;
        }

        /**
         * How long a step call or state write is retried through transient cluster errors (leader elections, 503,
         * 10008, timeouts) before the run fails (default 60 s; {@code Duration.ZERO}: no retries).
         */
        public Builder transientRetry(Duration bound) {
            Objects.requireNonNull(bound, "transientRetry");
            if (bound.isNegative()) {
                throw new IllegalArgumentException("transientRetry must not be negative, was " + bound);
            }
            this.transientRetry = bound;
            return this;
        }

        public Builder listener(MigrationListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Opens the state bucket (creating it if needed) and returns the runner.
         *
         * @throws MigrationException when the connection is closed or JetStream is unavailable
         */
        public MigrationRunner build() {
            if (nc.getStatus() == Connection.Status.CLOSED) {
                throw new MigrationException("The connection is closed; connect first");
            }
            if (!nc.getServerInfo().isJetStreamAvailable()) {
                throw new MigrationException("JetStream is not enabled on the server the runner is connected to ("
                        + nc.getConnectedUrl() + "): the plan's state lives in a JetStream KV bucket. Start"
                        + " nats-server with -js (or a jetstream {} block) and enable it for the account");
            }
            try {
                return new MigrationRunner(this);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MigrationException("Interrupted while opening the plan state bucket " + bucket, e);
            } catch (Exception e) {
                boolean down = TransientErrors.isTransient(e);
                throw new MigrationException("Could not open the plan state bucket " + bucket + ": " + e.getMessage()
                        + (down ? ". Its servers did not answer (down, or electing a leader): retry when the cluster"
                        + " is whole; with R3 state (the default on a cluster) one node down is no obstacle"
                        : ". Check the account's JetStream limits and permissions for $JS.API and $KV." + bucket
                        + ".>"), e);
            }
        }

        private static String defaultInstanceId() {
            String host;
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = "unknown-host";
            }
            return host + "/" + ManagementFactory.getRuntimeMXBean().getPid() + "/"
                    + UUID.randomUUID().toString().substring(0, 8);
        }
    }
}
