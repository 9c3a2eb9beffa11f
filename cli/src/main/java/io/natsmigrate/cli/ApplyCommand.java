package io.natsmigrate.cli;

import io.nats.client.Connection;
import io.natsmigrate.core.ApplyOptions;
import io.natsmigrate.core.ApplyResult;
import io.natsmigrate.core.MigrationRunner;
import io.natsmigrate.core.planfile.PlanFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code natsmigrate apply --plan FILE --to PHASE}: applies the plan's phases up to PHASE, printing progress. */
@Command(name = "apply", description = {"Applies a plan file up to a phase, waiting on its gates.",
        "Steps that cannot be undone (deletes, decommissioning) need --yes."})
final class ApplyCommand extends ConnectedCommand {

    @Option(names = "--plan", required = true, paramLabel = "FILE", description = "the plan file")
    Path planFile;
    @Option(names = "--to", required = true, paramLabel = "PHASE", description = "the phase to reach")
    String phase;
    @Option(names = "--yes", description = "confirm the irreversible steps on the way")
    boolean yes;

    @Override
    public Integer call() throws Exception {
        var plan = PlanFile.read(planFile);
        plan.phaseIndex(phase);
        try (Connection nc = connection.connect();
             MigrationRunner runner = plans.runner(plan, nc, new ProgressPrinter(out()))) {
            ApplyResult r = runner.applyTo(phase, yes ? ApplyOptions.builder().confirmAllIrreversible().build()
                    : ApplyOptions.defaults());
            out().println("plan " + plan.name() + ": " + (r.fromPhase() == null ? "(start)"
                    : r.fromPhase()) + " -> " + r.toPhase() + ", " + r.changed().size() + " step(s) changed");
            return NatsMigrate.OK;
        }
    }
}
