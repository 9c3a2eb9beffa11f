package io.natsmigrate.cli;

import io.nats.client.Connection;
import io.natsmigrate.core.DryRun;
import io.natsmigrate.core.MigrationPlan;
import io.natsmigrate.core.MigrationRunner;
import io.natsmigrate.core.PlanState;
import io.natsmigrate.core.Step;
import io.natsmigrate.core.planfile.PlanFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code natsmigrate validate --plan FILE}: the file is a valid plan, and it agrees with what is recorded: no step
 * recorded that the plan no longer has, the recorded phase still exists, and the applied steps' resources have not
 * drifted from the plan (changed or deleted by hand). Exit 1 lists each problem.
 */
@Command(name = "validate", description = {"Checks a plan file against the recorded state and live resources.",
        "Finds steps recorded but no longer in the plan, an unknown recorded phase, and drift."})
final class ValidateCommand extends ConnectedCommand {

    @Option(names = "--plan", required = true, paramLabel = "FILE", description = "the plan file")
    Path planFile;
    @Option(names = "--offline", description = "check the file only; do not connect")
    boolean offline;

    @Override
    public Integer call() throws Exception {
        var out = out();
        MigrationPlan plan = PlanFile.read(planFile);
        out.println("plan file " + planFile + ": valid, plan " + plan.name() + ", " + plan.phases().size()
                + " phases, " + plan.steps().size() + " steps");
        if (offline) {
            return NatsMigrate.OK;
        }
        List<String> problems = new ArrayList<>();
        try (Connection nc = connection.connect(); MigrationRunner runner = plans.runner(plan, nc, null)) {
            PlanState state = runner.state();
            if (state.phase() == null && state.steps().isEmpty()) {
                out.println("not applied yet: nothing recorded to compare");
                return NatsMigrate.OK;
            }
            Set<String> names = plan.steps().stream().map(Step::name).collect(Collectors.toSet());
            state.steps().keySet().stream().filter(s -> !names.contains(s)).forEach(s -> problems.add(
                    "step \"" + s + "\" is recorded as applied but is no longer in the plan (roll it back with the"
                            + " plan that had it, or delete its resource by hand)"));
            if (state.phase() != null && plan.phases().stream().noneMatch(p -> p.name().equals(state.phase()))) {
                problems.add("the recorded phase \"" + state.phase() + "\" is not a phase of the plan");
            } else if (state.phase() != null) {
                DryRun dry = runner.dryRun(state.phase());
                for (DryRun.PlannedChange c : dry.changes()) {
                    if (state.isApplied(c.step()) && c.kind() != DryRun.Kind.NO_OP
                            && c.kind() != DryRun.Kind.ADOPT && c.kind() != DryRun.Kind.RUN) {
                        problems.add("drift: step \"" + c.step() + "\" is applied but its resource would be "
                                + c.kind() + (c.diffs().isEmpty() ? "" : " " + c.diffs())
                                + " (re-apply to restore it: natsmigrate apply --to " + state.phase() + ")");
                    }
                }
            }
            out.println("recorded phase: " + (state.phase() == null ? "(start)" : state.phase()) + ", "
                    + state.steps().size() + " steps applied");
        }
        problems.forEach(p -> out.println("problem: " + p));
        out.println(problems.isEmpty() ? "plan and recorded state agree" : problems.size() + " problem(s)");
        return problems.isEmpty() ? NatsMigrate.OK : NatsMigrate.FAILURE;
    }
}
