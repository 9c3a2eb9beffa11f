package io.natsmigrate.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One apply or rollback under the plan's lease: the state as this run knows it, and every write of it. Each write is
 * one small key (the head with its compare-and-set, a step record, a history entry), retried through transient
 * cluster errors. An in-progress marker stays in the head until the next head write replaces it, which saves a write
 * per step; {@link #clearMarker()} removes the last one when a run ends.
 */
final class RunSession {

    private final RunnerSettings settings;
    private final LeaseKeeper keeper;
    private PlanStore.Head head;
    private long revision;
    private final Map<String, PlanState.AppliedStep> steps;
    private long lastSeq;
    private long stateWrites;
    /** Whether the marker in the head is this run's own (a marker an earlier, crashed run left is not ours to drop). */
    private boolean ownMarker;
    final List<String> changed = new ArrayList<>();
    final StepContext ctx;

    RunSession(RunnerSettings settings, LeaseKeeper keeper, PlanStore.Head head, long revision,
               Map<String, PlanState.AppliedStep> steps) {
        this.settings = settings;
        this.keeper = keeper;
        this.head = head;
        this.revision = revision;
        this.steps = new LinkedHashMap<>(steps);
        this.lastSeq = head.lastSeq();
        this.ctx = settings.stepContext();
    }

    /** The state as this run knows it (without history): a copy, for the start of a command. */
    PlanState state() {
        return new PlanState(settings.planName(), head.phase(), steps, head.inProgress(), List.of());
    }

    /** The recorded phase now. */
    String phase() {
        return head.phase();
    }

    /** The in-progress marker now, or null. */
    PlanState.InProgress inProgress() {
        return head.inProgress();
    }

    /** The step's record now, or null: no copy of the state per step (a plan may have 10,000). */
    PlanState.AppliedStep applied(String step) {
        return steps.get(step);
    }

    void markInProgress(String step, StepOperation op, StepCheck.Status before) throws Exception {
        writeHead(head.withMarker(new PlanState.InProgress(step, op, Instant.now().toString(),
                settings.instanceId(), before), lastSeq));
        ownMarker = true;
    }

    void recordApplied(String step, PlanState.AppliedStep applied, Transition t) throws Exception {
        requireLease();
        store(() -> {
            settings.store().putStep(settings.planName(), step, applied);
            return null;
        });
        stateWrites++;
        steps.put(step, applied);
        append(t);
    }

    void recordRolledBack(String step, Transition t) throws Exception {
        requireLease();
        store(() -> {
            settings.store().deleteStep(settings.planName(), step);
            return null;
        });
        stateWrites++;
        steps.remove(step);
        append(t);
    }

    /** A failed step: its history entry; the marker stays, with what the step's live state was before. */
    void recordFailure(Transition t) {
        try {
            append(t);
        } catch (Exception ignored) {
            // the failure itself is what the caller sees; the in-progress marker still tells the story
        }
    }

    void recordPhase(String phase, Transition t) throws Exception {
        append(t);
        writeHead(head.withPhase(phase, lastSeq));
        ownMarker = false;
    }

    /**
     * Removes the marker this run's last step left (a run that ends well leaves none). A marker an earlier run left
     * for a step this run did not reach stays: it is what lets a later run record what that step made as created.
     */
    void clearMarker() throws Exception {
        if (head.inProgress() != null && ownMarker) {
            writeHead(head.withMarker(null, lastSeq));
        }
    }

    Transition transition(TransitionKind kind, String subject, String phase, TransitionOutcome outcome,
                          StepResult.Action action, long startedNanos, String detail) {
        long millis = startedNanos == 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
        return new Transition(lastSeq + 1, kind, subject, phase, outcome, action, settings.instanceId(),
                Instant.now().toString(), millis, detail);
    }

    ApplyResult result(String from) {
        return new ApplyResult(from, head.phase(), changed, ctx.reads(), ctx.writes(), stateWrites);
    }

    private void append(Transition t) throws Exception {
        lastSeq = store(() -> settings.store().appendHistory(settings.planName(), t));
    }

    private void writeHead(PlanStore.Head next) throws Exception {
        requireLease();
        long expected = revision;
        revision = store(() -> {
            try {
                return settings.store().writeHead(settings.planName(), next, revision);
            } catch (StateConflictException conflict) {
                // An earlier attempt that timed out may have been applied after all: then the head is ours.
                PlanStore.VersionedHead now = settings.store().readHead(settings.planName());
                if (now.revision() > expected && next.equals(now.head())) {
                    return now.revision();
                }
                throw conflict;
            }
        });
        head = next;
        stateWrites++;
    }

    private void requireLease() {
        if (keeper.lost()) {
            throw new StateConflictException(settings.planName(), "this runner lost its lease (it expired, was taken"
                    + " over or force-unlocked)");
        }
    }

    private <T> T store(java.util.concurrent.Callable<T> write) throws Exception {
        return TransientErrors.retry(settings.nc(), settings.transientRetry(), "Plan " + settings.planName() + ": writing its state",
                write);
    }
}
