package io.natsmigrate.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Rolls a plan back to a phase, or to its start (the facade's {@code rollbackTo}/{@code rollbackToStart}): lowers
 * the recorded phase first, so "every step of phases up to the recorded phase is applied" holds throughout, then
 * undoes the later phases' steps in reverse order, including one a failed or crashed run left half applied.
 * Adopted resources were never the plan's: they are left untouched and reported so.
 */
final class RollbackCommand {

    private final RunnerSettings s;
    private final RunLog log;

    RollbackCommand(RunnerSettings settings) {
        this.s = settings;
        this.log = new RunLog(settings);
    }

    ApplyResult run(RunSession run, int target) throws Exception {
        MigrationPlan plan = s.plan();
        String targetName = target < 0 ? null : plan.phases().get(target).name();
        PlanState start = run.state();
        int current = start.currentPhase().map(plan::phaseIndex).orElse(-1);
        if (target > current) {
            throw new IllegalStateException("Plan " + plan.name() + " is at phase " + start.phase() + ", before "
                    + targetName + ": use applyTo(\"" + targetName + "\") to go forward");
        }
        List<Step> toUndo = new ArrayList<>();
        List<String> phaseOf = new ArrayList<>();
        PlanState.InProgress marker = start.inProgress();
        for (int i = plan.phases().size() - 1; i > target; i--) {
            Phase phase = plan.phases().get(i);
            List<Step> steps = phase.steps();
            for (int j = steps.size() - 1; j >= 0; j--) {
                Step step = steps.get(j);
                boolean halfApplied = marker != null && marker.step().equals(step.name())
                        && marker.operation() == StepOperation.APPLY;
                if (start.isApplied(step.name()) || halfApplied) {
                    if (step.reversibility() == Reversibility.IRREVERSIBLE) {
                        throw new NotReversibleException(plan.name(), step.name(),
                                targetName == null ? "the start" : targetName);
                    }
                    toUndo.add(step);
                    phaseOf.add(phase.name());
                }
            }
        }
        if (current != target) {
            run.recordPhase(targetName, run.transition(TransitionKind.PHASE, targetName, targetName,
                    TransitionOutcome.SUCCEEDED, null, 0, null));
            if (targetName != null) {
                log.phaseReached(targetName);
            }
            s.listeners().forEach(l -> l.phaseReached(targetName));
        }
        for (int k = 0; k < toUndo.size(); k++) {
            rollbackStep(run, phaseOf.get(k), toUndo.get(k), marker);
        }
        run.clearMarker();
        return run.result(start.phase());
    }

    private void rollbackStep(RunSession run, String phase, Step step, PlanState.InProgress marker) throws Exception {
        PlanState.AppliedStep recorded = run.applied(step.name());
        StepResult applied;
        if (recorded != null) {
            applied = new StepResult(recorded.action(), recorded.undo());
        } else if (marker.before() == StepCheck.Status.MISSING) {
            applied = StepResult.of(StepResult.Action.CREATED); // a create failed or crashed: remove what it made
        } else if (marker.before() == StepCheck.Status.DRIFTED) {
            throw new StepFailedException(s.planName(), step.name(), "rollback", new IllegalStateException("an"
                    + " earlier run failed while updating it, so its previous settings are unknown; apply the plan"
                    + " again, then roll back"));
        } else {
            applied = StepResult.of(StepResult.Action.ADOPTED); // it matched before: nothing of ours to undo
        }
        long started = System.nanoTime();
        run.markInProgress(step.name(), StepOperation.ROLLBACK, null);
        try {
            StepCalls.retried(s, step, "rollback", () -> {
                step.rollback(run.ctx, applied);
                return null;
            });
        } catch (StepFailedException e) {
            log.stepFailed(phase, step, e);
            s.listeners().forEach(l -> l.onFailure(phase, step, e));
            run.recordFailure(run.transition(TransitionKind.ROLLBACK, step.name(), phase, TransitionOutcome.FAILED,
                    applied.action(), started, String.valueOf(e.getCause().getMessage())));
            throw e;
        }
        run.recordRolledBack(step.name(), run.transition(TransitionKind.ROLLBACK, step.name(), phase,
                TransitionOutcome.SUCCEEDED, applied.action(), started, null));
        run.changed.add(step.name() + (applied.action() == StepResult.Action.ADOPTED
                ? ": UNTOUCHED (adopted, not the plan's to remove)" : ": ROLLED_BACK"));
        log.stepRolledBack(phase, step);
        s.listeners().forEach(l -> l.afterRollback(phase, step));
    }
}
