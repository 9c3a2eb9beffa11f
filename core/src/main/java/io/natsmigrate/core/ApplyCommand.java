package io.natsmigrate.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies a plan up to a phase (the facade's {@code applyTo}). A phase already passed is no error: the run reports
 * where the plan is and changes nothing, so every replica of a service can call it at startup.
 */
final class ApplyCommand {

    private final RunnerSettings s;
    private final RunLog log;

    ApplyCommand(RunnerSettings settings) {
        this.s = settings;
        this.log = new RunLog(settings);
    }

    ApplyResult run(RunSession run, int target, ApplyOptions options) throws Exception {
        MigrationPlan plan = s.plan();
        PlanState start = run.state();
        int current = start.currentPhase().map(plan::phaseIndex).orElse(-1);
        if (current > target) {
            return run.result(start.phase()); // already past: ensure semantics, rollback stays explicit
        }
        List<String> unconfirmed = new ArrayList<>();
        for (int i = 0; i <= target; i++) {
            for (Step step : plan.phases().get(i).steps()) {
                if (step.reversibility() == Reversibility.IRREVERSIBLE && !start.isApplied(step.name())
                        && !options.isConfirmed(step.name())) {
                    unconfirmed.add(step.name());
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
                    GateWaiter.await(s, log, phase.name(), null, g);
                }
            }
            for (Step step : phase.steps()) {
                applyStep(run, phase, step, start.inProgress());
            }
            if (!phaseDone) {
                run.recordPhase(phase.name(), run.transition(TransitionKind.PHASE, phase.name(), phase.name(),
                        TransitionOutcome.SUCCEEDED, null, 0, null));
                log.phaseReached(phase.name());
                s.listeners().forEach(l -> l.phaseReached(phase.name()));
            }
        }
        run.clearMarker();
        return run.result(start.phase());
    }

    /**
     * @param crashed the marker an earlier run left when this run started: it stays the step's evidence even after
     *                this run's own markers replaced it in the head
     */
    private void applyStep(RunSession run, Phase phase, Step step, PlanState.InProgress crashed) throws Exception {
        PlanState.AppliedStep prior = run.applied(step.name());
        boolean recorded = prior != null;
        PlanState.InProgress marker = crashed;
        boolean resumeCrashed = marker != null && marker.step().equals(step.name());
        StepCheck before = retried(step, "check", () -> step.check(run.ctx));
        if (recorded && !resumeCrashed && (before.status() == StepCheck.Status.IN_SYNC
                || before.status() == StepCheck.Status.UNKNOWN
                || step.reversibility() == Reversibility.IRREVERSIBLE)) {
            return; // recorded and live state matches: nothing to write
        }
        if (!recorded) {
            for (Gate g : step.gates()) {
                GateWaiter.await(s, log, phase.name(), step, g);
            }
        }
        long started = System.nanoTime();
        // Resuming a step an earlier run was applying (it crashed, or its call failed or timed out): its marker
        // knows what live state was before, so what that run created is recorded as created, not adopted.
        StepCheck.Status beforeStatus = resumeCrashed && marker.operation() == StepOperation.APPLY
                && marker.before() != null ? marker.before() : before.status();
        run.markInProgress(step.name(), StepOperation.APPLY, beforeStatus);
        s.listeners().forEach(l -> l.beforeStep(phase.name(), step));
        StepResult result;
        try {
            result = retried(step, "apply", () -> step.apply(run.ctx));
        } catch (StepFailedException e) {
            log.stepFailed(phase.name(), step, e);
            s.listeners().forEach(l -> l.onFailure(phase.name(), step, e));
            run.recordFailure(run.transition(TransitionKind.APPLY, step.name(), phase.name(), TransitionOutcome.FAILED,
                    null, started, String.valueOf(e.getCause().getMessage())));
            throw e;
        }
        if (result.action() == StepResult.Action.ADOPTED && beforeStatus == StepCheck.Status.MISSING) {
            result = new StepResult(StepResult.Action.CREATED, result.undo()); // the earlier run created it: ours
        }
        String detail = before.status() == StepCheck.Status.DRIFTED ? "drift: " + before.diffs() : null;
        // A repaired drift keeps the undo of the original apply, so rollback still restores the pre-plan state.
        PlanState.AppliedStep applied = prior != null && result.action() == StepResult.Action.UPDATED
                ? new PlanState.AppliedStep(prior.action(), prior.undo(), Instant.now().toString(), s.instanceId())
                : new PlanState.AppliedStep(result.action(), result.undo(), Instant.now().toString(), s.instanceId());
        run.recordApplied(step.name(), applied, run.transition(TransitionKind.APPLY, step.name(), phase.name(),
                TransitionOutcome.SUCCEEDED, result.action(), started, detail));
        run.changed.add(step.name() + ": " + result.action());
        StepResult done = result;
        log.stepApplied(phase.name(), step, done, started);
        s.listeners().forEach(l -> l.afterStep(phase.name(), step, done));
    }

    private <T> T retried(Step step, String what, java.util.concurrent.Callable<T> call) {
        return StepCalls.retried(s, step, what, call);
    }
}
