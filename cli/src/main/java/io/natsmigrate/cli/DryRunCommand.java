package io.natsmigrate.cli;

import io.nats.client.Connection;
import io.natsmigrate.core.DryRun;
import io.natsmigrate.core.MigrationRunner;
import io.natsmigrate.core.planfile.PlanFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code natsmigrate dry-run --plan FILE --to PHASE}: what apply would change, changing nothing. */
@Command(name = "dry-run", description = "Shows what applying a plan file up to a phase would change; changes nothing.")
final class DryRunCommand extends ConnectedCommand {

    @Option(names = "--plan", required = true, paramLabel = "FILE", description = "the plan file")
    Path planFile;
    @Option(names = "--to", required = true, paramLabel = "PHASE", description = "the phase to reach")
    String phase;
    @Option(names = "--json", description = "JSON instead of text")
    boolean json;

    @Override
    public Integer call() throws Exception {
        var plan = PlanFile.read(planFile);
        plan.phaseIndex(phase);
        try (Connection nc = connection.connect(); MigrationRunner runner = plans.runner(plan, nc, null)) {
            DryRun dry = runner.dryRun(phase);
            out().println(json ? dry.toJson() : dry.toText());
            return NatsMigrate.OK;
        }
    }
}
