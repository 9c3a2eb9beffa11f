package io.natsmigrate.core;

import java.util.ArrayList;
import java.util.List;

/** What an apply would do now, per step, without changing anything (the facade's {@code dryRun}). */
final class DryRunCommand {

    private final RunnerSettings s;

    DryRunCommand(RunnerSettings settings) {
        this.s = settings;
    }

    DryRun run(PlanState state, int target, String targetPhase) {
        MigrationPlan plan = s.plan();
        int current = state.currentPhase().map(plan::phaseIndex).orElse(-1);
        List<DryRun.PlannedChange> changes = new ArrayList<>();
        StepContext ctx = s.stepContext();
        for (int i = 0; i <= target; i++) {
            Phase phase = plan.phases().get(i);
            for (Step step : phase.steps()) {
                StepCheck check = StepCalls.retried(s, step, "check", () -> step.check(ctx));
                boolean recorded = state.isApplied(step.name());
                DryRun.Kind kind = switch (check.status()) {
                    case IN_SYNC -> step.removesResource() || recorded ? DryRun.Kind.NO_OP : DryRun.Kind.ADOPT;
                    case MISSING -> DryRun.Kind.CREATE;
                    case DRIFTED -> step.removesResource() ? DryRun.Kind.DELETE : DryRun.Kind.UPDATE;
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
        List<String> warnings;
        try {
            warnings = LimitsCheck.warnings(plan, s.nc().jetStreamManagement());
        } catch (java.io.IOException e) {
            warnings = List.of("Could not check stream limits: " + e.getMessage());
        }
        return new DryRun(plan.name(), state.phase(), targetPhase, changes, transitions, warnings);
    }
}
