package io.natsmigrate.core;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.AccountStatistics;
import io.nats.client.api.StreamConfiguration;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a {@link MigrationPlan} against a server: dry run, apply up to a phase, roll back to a phase, status.
 *
 * <p>State lives in a JetStream KV bucket ({@code natsmigrate_plans} by default), one key per plan, written only
 * with compare-and-set. Apply and rollback hold a lease lock ({@code lock.<plan>}) renewed every third of the
 * lease; a crashed holder's lease expires and the next instance takes it over. Every step records an in-progress
 * marker before it runs and its result after, so re-running after a crash at any point converges: recorded steps
 * are checked against live state (one read each) and only missing or drifted ones are applied again. A re-apply of
 * an unchanged plan writes nothing.
 */
public final class MigrationRunner implements AutoCloseable {

    private final MigrationPlan plan;
    private final Connection nc;
    private final String instanceId;
    private final Duration lease;
    private final List<MigrationListener> listeners;
    private final PlanStore store;
    private final ScheduledExecutorService heartbeat;

    private MigrationRunner(Builder b) throws IOException, JetStreamApiException {
        this.plan = b.plan;
        this.nc = b.nc;
        this.instanceId = b.instanceId;
        this.lease = b.lease;
        this.listeners = List.copyOf(b.listeners);
        this.store = PlanStore.open(nc, b.bucket);
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "natsmigrate-lease-" + plan.name());
            t.setDaemon(true);
            return t;
        });
    }

    static Builder builder(MigrationPlan plan, Connection nc) {
        return new Builder(plan, nc);
    }

    public MigrationPlan plan() {
        return plan;
    }

    public String instanceId() {
        return instanceId;
    }

    /** The recorded state (initial when never applied). */
    public PlanState state() {
        try {
            return store.read(plan.name()).state();
        } catch (IOException | JetStreamApiException e) {
            throw new MigrationException("Could not read the state of plan " + plan.name() + ": " + e, e);
        }
    }

    /** The recorded history, oldest first. */
    public List<Transition> history() {
        return state().history();
    }

    // ------------------------------------------------------------------------------------------ preflight

    /**
     * Checks the server before any change: JetStream enabled, version new enough for the plan's features,
     * declared existing streams present, account limits large enough for the plan's streams.
     *
     * @throws PreflightException listing every problem with its fix
     */
    public void preflight() {
        List<String> problems = new ArrayList<>();
        String version = nc.getServerInfo().getVersion();
        if (!nc.getServerInfo().isJetStreamAvailable()) {
            problems.add("JetStream is not enabled on the server (" + version + "): start nats-server with -js or a"
                    + " jetstream {} block, and enable it for the account");
        }
        for (ServerFeature f : plan.requiredFeatures()) {
            if (!f.isSupportedBy(nc)) {
                problems.add(f.description() + " needs nats-server " + f.minimumVersion() + "+, the server is "
                        + version + ": upgrade the server");
            }
        }
        if (problems.isEmpty()) {
            try {
                AccountStatistics stats = nc.jetStreamManagement().getAccountStatistics();
                long fileBytes = 0;
                long memBytes = 0;
                long streams = 0;
                for (Step s : plan.steps()) {
                    if (s.providesStream().isPresent()) {
                        StreamConfiguration c = s.providesStream().get();
                        streams++;
                        long max = Math.max(0, c.getMaxBytes());
                        if (c.getStorageType() == io.nats.client.api.StorageType.Memory) {
                            memBytes += max;
                        } else {
                            fileBytes += max;
                        }
                    }
                }
                var limits = stats.getLimits();
                if (limits.getMaxStorage() > 0 && fileBytes > limits.getMaxStorage()) {
                    problems.add("The plan's file streams may hold " + fileBytes + " bytes but the account may store "
                            + limits.getMaxStorage() + ": lower their max_bytes or raise the account's max_file");
                }
                if (limits.getMaxMemory() > 0 && memBytes > limits.getMaxMemory()) {
                    problems.add("The plan's memory streams may hold " + memBytes + " bytes but the account allows "
                            + limits.getMaxMemory() + ": lower their max_bytes or raise the account's max_mem");
                }
                if (limits.getMaxStreams() > 0 && stats.getStreams() + streams > limits.getMaxStreams()) {
                    problems.add("The plan creates up to " + streams + " streams, the account has " + stats.getStreams()
                            + " of at most " + limits.getMaxStreams() + ": raise the account's max_streams");
                }
                for (String existing : plan.existingStreams()) {
                    try {
                        nc.jetStreamManagement().getStreamInfo(existing);
                    } catch (JetStreamApiException e) {
                        problems.add("The plan uses stream " + existing + ", which does not exist: create it or fix"
                                + " the name");
                    }
                }
            } catch (IOException | JetStreamApiException e) {
                problems.add("Could not read the account's JetStream limits (" + e.getMessage() + "): is JetStream"
                        + " enabled for this account?");
            }
        }
        if (!problems.isEmpty()) {
            throw new PreflightException(plan.name(), problems);
        }
    }

    // ------------------------------------------------------------------------------------------ dry run

    /** What {@link #applyTo} would do now, per step, without changing anything. */
    public DryRun dryRun(String targetPhase) {
        int target = plan.phaseIndex(targetPhase);
        PlanState state = state();
        int current = state.currentPhase().map(plan::phaseIndex).orElse(-1);
        List<DryRun.PlannedChange> changes = new ArrayList<>();
        StepContext ctx = context();
        for (int i = 0; i <= target; i++) {
            Phase phase = plan.phases().get(i);
            for (Step step : phase.steps()) {
                StepCheck check;
                try {
                    check = step.check(ctx);
                } catch (Exception e) {
                    throw new StepFailedException(step.name(), "check", e);
                }
                boolean recorded = state.isApplied(step.name());
                DryRun.Kind kind = switch (check.status()) {
                    case IN_SYNC -> step instanceof DeleteStreamStep || step instanceof DeleteConsumerStep
                            ? DryRun.Kind.NO_OP : recorded ? DryRun.Kind.NO_OP : DryRun.Kind.ADOPT;
                    case MISSING -> DryRun.Kind.CREATE;
                    case DRIFTED -> step instanceof DeleteStreamStep || step instanceof DeleteConsumerStep
                            ? DryRun.Kind.DELETE : DryRun.Kind.UPDATE;
                    case UNKNOWN -> recorded ? DryRun.Kind.NO_OP : DryRun.Kind.RUN;
                };
                changes.add(new DryRun.PlannedChange(phase.name(), step.name(), kind, check.diffs(),
                        step.reversibility() == Reversibility.IRREVERSIBLE));
            }
        }
        List<String> transitions = new ArrayList<>();
        for (int i = current + 1; i <= target; i++) {
            transitions.add((i == 0 ? "(start)" : plan.phases().get(i - 1).name()) + " -> "
                    + plan.phases().get(i).name());
        }
        return new DryRun(plan.name(), state.phase(), targetPhase, changes, transitions);
    }

    // ------------------------------------------------------------------------------------------ apply

    /** Applies every phase up to and including {@code targetPhase}, with no irreversible step confirmed. */
    public ApplyResult applyTo(String targetPhase) {
        return applyTo(targetPhase, ApplyOptions.defaults());
    }

    /**
     * Applies every phase up to and including {@code targetPhase}.
     *
     * @throws ConfirmationRequiredException before any change when an irreversible step is not confirmed
     * @throws PlanLockedException when another instance is applying or rolling back
     * @throws GateTimeoutException when a gate does not pass in time (completed steps stay recorded)
     * @throws StepFailedException when a step fails (completed steps stay recorded)
     */
    public ApplyResult applyTo(String targetPhase, ApplyOptions options) {
        Objects.requireNonNull(options, "options");
        int target = plan.phaseIndex(targetPhase);
        return locked(run -> {
            PlanState start = run.state;
            int current = start.currentPhase().map(plan::phaseIndex).orElse(-1);
            if (current > target) {
                throw new IllegalStateException("Plan " + plan.name() + " is at phase " + start.phase() + ", past "
                        + targetPhase + ": use rollbackTo(\"" + targetPhase + "\") to go back");
            }
            List<String> unconfirmed = new ArrayList<>();
            for (int i = 0; i <= target; i++) {
                for (Step s : plan.phases().get(i).steps()) {
                    if (s.reversibility() == Reversibility.IRREVERSIBLE && !start.isApplied(s.name())
                            && !options.isConfirmed(s.name())) {
                        unconfirmed.add(s.name());
                    }
                }
            }
            if (!unconfirmed.isEmpty()) {
                throw new ConfirmationRequiredException(unconfirmed);
            }
            for (int i = 0; i <= target; i++) {
                Phase phase = plan.phases().get(i);
                boolean phaseDone = i <= current;
                if (!phaseDone) {
                    for (Gate g : phase.gates()) {
                        awaitGate(g);
                    }
                }
                for (Step step : phase.steps()) {
                    applyStep(run, phase, step);
                }
                if (!phaseDone) {
                    Transition t = transition(run.state, "PHASE", phase.name(), phase.name(), "SUCCEEDED", null, 0, null);
                    run.write(run.state.withPhase(phase.name(), t));
                    listeners.forEach(l -> l.phaseReached(phase.name()));
                }
            }
            return run.result(start.phase());
        });
    }

    private void applyStep(Run run, Phase phase, Step step) throws Exception {
        boolean recorded = run.state.isApplied(step.name());
        boolean resumeCrashed = run.state.inProgress() != null && run.state.inProgress().step().equals(step.name());
        StepCheck before;
        try {
            before = step.check(run.ctx);
        } catch (Exception e) {
            throw new StepFailedException(step.name(), "check", e);
        }
        if (recorded && !resumeCrashed && (before.status() == StepCheck.Status.IN_SYNC
                || before.status() == StepCheck.Status.UNKNOWN
                || step.reversibility() == Reversibility.IRREVERSIBLE)) {
            return; // recorded and live state matches: nothing to write
        }
        if (!recorded) {
            for (Gate g : step.gates()) {
                awaitGate(g);
            }
        }
        long started = System.nanoTime();
        // Resuming a step a crashed instance was applying: its marker knows what live state was before it ran.
        PlanState.InProgress crashed = resumeCrashed ? run.state.inProgress() : null;
        String beforeStatus = crashed != null && "APPLY".equals(crashed.operation()) && crashed.before() != null
                ? crashed.before() : before.status().name();
        run.write(run.state.withInProgress(new PlanState.InProgress(step.name(), "APPLY", Instant.now().toString(),
                instanceId, beforeStatus)));
        listeners.forEach(l -> l.beforeStep(phase.name(), step));
        StepResult result;
        try {
            result = step.apply(run.ctx);
        } catch (Exception e) {
            recordFailure(run, phase.name(), step, "APPLY", started, e);
            throw new StepFailedException(step.name(), "apply", e);
        }
        if (result.action() == StepResult.Action.ADOPTED && "MISSING".equals(beforeStatus)) {
            // The crashed run created it: record it as ours so a rollback removes it.
            result = new StepResult(StepResult.Action.CREATED, result.undo());
        }
        String detail = before.status() == StepCheck.Status.DRIFTED ? "drift: " + before.diffs() : null;
        // A repaired drift keeps the undo of the original apply, so rollback still restores the pre-plan state.
        PlanState.AppliedStep prior = run.state.steps().get(step.name());
        PlanState.AppliedStep applied = prior != null && result.action() == StepResult.Action.UPDATED
                ? new PlanState.AppliedStep(prior.action(), prior.undo(), Instant.now().toString(), instanceId)
                : new PlanState.AppliedStep(result.action().name(), result.undo(), Instant.now().toString(), instanceId);
        Transition t = transition(run.state, "APPLY", step.name(), phase.name(), "SUCCEEDED", result.action().name(),
                millisSince(started), detail);
        run.write(run.state.withApplied(step.name(), applied, t));
        run.changed.add(step.name() + ": " + result.action());
        StepResult done = result;
        listeners.forEach(l -> l.afterStep(phase.name(), step, done));
    }

    // ------------------------------------------------------------------------------------------ rollback

    /** Rolls back to {@code targetPhase} (its steps stay applied; later phases' steps are undone). */
    public ApplyResult rollbackTo(String targetPhase) {
        return rollback(plan.phaseIndex(targetPhase));
    }

    /** Rolls back every step: the plan is back where it started. */
    public ApplyResult rollbackToStart() {
        return rollback(-1);
    }

    private ApplyResult rollback(int target) {
        String targetName = target < 0 ? null : plan.phases().get(target).name();
        return locked(run -> {
            PlanState start = run.state;
            int current = start.currentPhase().map(plan::phaseIndex).orElse(-1);
            if (target > current) {
                throw new IllegalStateException("Plan " + plan.name() + " is at phase " + start.phase() + ", before "
                        + targetName + ": use applyTo(\"" + targetName + "\") to go forward");
            }
            List<Step> toUndo = new ArrayList<>();
            List<String> phaseOf = new ArrayList<>();
            PlanState.InProgress crashed = start.inProgress();
            for (int i = plan.phases().size() - 1; i > target; i--) {
                Phase phase = plan.phases().get(i);
                List<Step> steps = phase.steps();
                for (int j = steps.size() - 1; j >= 0; j--) {
                    Step s = steps.get(j);
                    boolean halfApplied = crashed != null && crashed.step().equals(s.name())
                            && crashed.operation().equals("APPLY");
                    if (start.isApplied(s.name()) || halfApplied) {
                        if (s.reversibility() == Reversibility.IRREVERSIBLE) {
                            throw new NotReversibleException(plan.name(), s.name(),
                                    targetName == null ? "the start" : targetName);
                        }
                        toUndo.add(s);
                        phaseOf.add(phase.name());
                    }
                }
            }
            if (current != target) {
                // Lower the phase first: "every step of phases up to the recorded phase is applied" holds throughout.
                Transition t = transition(run.state, "PHASE", targetName, targetName, "SUCCEEDED", null, 0, null);
                run.write(run.state.withPhase(targetName, t));
                listeners.forEach(l -> l.phaseReached(targetName));
            }
            for (int k = 0; k < toUndo.size(); k++) {
                rollbackStep(run, phaseOf.get(k), toUndo.get(k), crashed);
            }
            return run.result(start.phase());
        });
    }

    private void rollbackStep(Run run, String phase, Step step, PlanState.InProgress crashed) throws Exception {
        PlanState.AppliedStep recorded = run.state.steps().get(step.name());
        StepResult applied;
        if (recorded != null) {
            applied = new StepResult(StepResult.Action.valueOf(recorded.action()), recorded.undo());
        } else if ("MISSING".equals(crashed.before())) {
            applied = StepResult.of(StepResult.Action.CREATED); // crashed mid-create: remove what it may have made
        } else if ("DRIFTED".equals(crashed.before())) {
            throw new StepFailedException(step.name(), "rollback", new IllegalStateException("the instance crashed"
                    + " while updating it, so its previous settings are unknown; apply the plan again, then roll"
                    + " back"));
        } else {
            applied = StepResult.of(StepResult.Action.ADOPTED); // it matched before: nothing of ours to undo
        }
        long started = System.nanoTime();
        run.write(run.state.withInProgress(new PlanState.InProgress(step.name(), "ROLLBACK", Instant.now().toString(),
                instanceId, null)));
        try {
            step.rollback(run.ctx, applied);
        } catch (Exception e) {
            recordFailure(run, phase, step, "ROLLBACK", started, e);
            throw new StepFailedException(step.name(), "rollback", e);
        }
        Transition t = transition(run.state, "ROLLBACK", step.name(), phase, "SUCCEEDED", applied.action().name(),
                millisSince(started), null);
        run.write(run.state.withRolledBack(step.name(), t));
        run.changed.add(step.name() + ": ROLLED_BACK");
        listeners.forEach(l -> l.afterRollback(phase, step));
    }

    // ------------------------------------------------------------------------------------------ status

    /** Phases, steps (recorded and live) and live stream and consumer figures. */
    public StatusReport status() {
        PlanState state = state();
        StepContext ctx = context();
        List<StatusReport.StepStatus> steps = new ArrayList<>();
        for (Phase phase : plan.phases()) {
            for (Step step : phase.steps()) {
                String live;
                try {
                    live = step.check(ctx).status().name();
                } catch (Exception e) {
                    live = "ERROR: " + e.getMessage();
                }
                steps.add(new StatusReport.StepStatus(phase.name(), step.name(), state.isApplied(step.name()), live));
            }
        }
        List<StatusReport.StreamFigures> streams = new ArrayList<>();
        for (Step step : plan.steps()) {
            if (step.providesStream().isPresent()) {
                String name = step.providesStream().get().getName();
                try {
                    var info = ctx.jsm().getStreamInfo(name);
                    List<StatusReport.ConsumerFigures> consumers = new ArrayList<>();
                    for (var ci : ctx.jsm().getConsumers(name)) {
                        consumers.add(new StatusReport.ConsumerFigures(ci.getName(), ci.getNumPending(),
                                ci.getNumAckPending(), ci.getAckFloor().getStreamSequence()));
                    }
                    streams.add(new StatusReport.StreamFigures(name, info.getStreamState().getMsgCount(),
                            info.getStreamState().getByteCount(), consumers));
                } catch (IOException | JetStreamApiException e) {
                    streams.add(new StatusReport.StreamFigures(name, -1, -1, List.of()));
                }
            }
        }
        return new StatusReport(plan.name(), state.phase(), plan.phases().stream().map(Phase::name).toList(), steps,
                streams);
    }

    // ------------------------------------------------------------------------------------------ internals

    private void awaitGate(Gate gate) throws InterruptedException {
        long deadline = System.nanoTime() + gate.timeout().toNanos();
        String last = "not evaluated";
        while (true) {
            try {
                GateResult r = gate.evaluate(nc);
                if (r.passed()) {
                    return;
                }
                last = r.detail();
            } catch (Exception e) {
                last = e.toString();
            }
            if (System.nanoTime() >= deadline) {
                throw new GateTimeoutException(gate.name(), gate.timeout(), last);
            }
            Thread.sleep(gate.pollInterval().toMillis()); // the gate's own poll interval
        }
    }

    private void recordFailure(Run run, String phase, Step step, String kind, long started, Exception e) {
        listeners.forEach(l -> l.onFailure(phase, step, e));
        try {
            run.write(run.state.withFailure(transition(run.state, kind, step.name(), phase, "FAILED", null,
                    millisSince(started), String.valueOf(e.getMessage()))));
        } catch (Exception ignored) {
            // the failure itself is what the caller sees; the in-progress marker still tells the story
        }
    }

    private Transition transition(PlanState s, String kind, String subject, String phase, String outcome,
                                  String action, long millis, String detail) {
        return new Transition(s.nextSeq(), kind, subject, phase, outcome, action, instanceId, Instant.now().toString(),
                millis, detail);
    }

    private static long millisSince(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    private StepContext context() {
        try {
            return new StepContext(nc, plan.name(), instanceId);
        } catch (IOException e) {
            throw new MigrationException("Could not create a JetStream context: " + e, e);
        }
    }

    /** Work done while holding the lease. */
    @FunctionalInterface
    private interface LockedWork {
        ApplyResult run(Run run) throws Exception;
    }

    /** Takes the lease, keeps it renewed, runs the work, gives the lease back. */
    private ApplyResult locked(LockedWork work) {
        PlanStore.Lease held;
        try {
            held = store.acquire(plan.name(), instanceId, lease);
        } catch (IOException | JetStreamApiException e) {
            throw new MigrationException("Could not take the lease of plan " + plan.name() + ": " + e, e);
        }
        Run run;
        try {
            PlanStore.Versioned v = store.read(plan.name());
            run = new Run(v.state(), v.revision(), context());
        } catch (IOException | JetStreamApiException e) {
            store.release(held);
            throw new MigrationException("Could not read the state of plan " + plan.name() + ": " + e, e);
        }
        LeaseKeeper keeper = new LeaseKeeper(held);
        ScheduledFuture<?> renewal = heartbeat.scheduleAtFixedRate(keeper::renew, lease.toMillis() / 3,
                lease.toMillis() / 3, TimeUnit.MILLISECONDS);
        run.keeper = keeper;
        try {
            return work.run(run);
        } catch (MigrationException | IllegalStateException | IllegalArgumentException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrationException("Interrupted; completed steps stay recorded, re-run to continue", e);
        } catch (Exception e) {
            throw new MigrationException("Plan " + plan.name() + " stopped: " + e, e);
        } finally {
            renewal.cancel(false);
            store.release(keeper.current());
        }
    }

    /** Renews the lease; remembers when it was lost so no further state is written. */
    private final class LeaseKeeper {
        private volatile PlanStore.Lease lease;
        private volatile boolean lost;

        LeaseKeeper(PlanStore.Lease lease) {
            this.lease = lease;
        }

        synchronized void renew() {
            if (lost) {
                return;
            }
            try {
                lease = store.renew(lease, MigrationRunner.this.lease);
            } catch (IOException | JetStreamApiException | RuntimeException e) {
                lost = true;
            }
        }

        PlanStore.Lease current() {
            return lease;
        }
    }

    /** The state of one apply or rollback. */
    private final class Run {
        PlanState state;
        long revision;
        final StepContext ctx;
        final List<String> changed = new ArrayList<>();
        final AtomicLong stateWrites = new AtomicLong();
        LeaseKeeper keeper;

        Run(PlanState state, long revision, StepContext ctx) {
            this.state = state;
            this.revision = revision;
            this.ctx = ctx;
        }

        void write(PlanState next) throws IOException, JetStreamApiException {
            if (keeper != null && keeper.lost) {
                throw new StateConflictException(plan.name(), "this instance lost its lease");
            }
            revision = store.write(plan.name(), next, revision);
            state = next;
            stateWrites.incrementAndGet();
        }

        ApplyResult result(String from) {
            return new ApplyResult(from, state.phase(), changed, ctx.reads(), ctx.writes(), stateWrites.get());
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
        private final List<MigrationListener> listeners = new ArrayList<>();

        private Builder(MigrationPlan plan, Connection nc) {
            this.plan = Objects.requireNonNull(plan, "plan");
            this.nc = Objects.requireNonNull(nc, "connection");
        }

        /** Who this instance is, in locks and history (default: {@code host/pid/random}). */
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
            if (!bucket.matches("[A-Za-z0-9_-]+")) {
                throw new IllegalArgumentException("Bucket name \"" + bucket + "\" is invalid: letters, digits, '_'"
                        + " and '-' only");
            }
            this.bucket = bucket;
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
            try {
                return new MigrationRunner(this);
            } catch (IOException | JetStreamApiException e) {
                throw new MigrationException("Could not open the plan state bucket " + bucket + " (is JetStream"
                        + " enabled for this account?): " + e.getMessage(), e);
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
