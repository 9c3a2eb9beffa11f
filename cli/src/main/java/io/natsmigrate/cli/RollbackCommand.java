package io.natsmigrate.cli;

import io.nats.client.Connection;
import io.natsmigrate.core.ApplyResult;
import io.natsmigrate.core.MigrationRunner;
import io.natsmigrate.core.planfile.PlanFile;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code natsmigrate rollback --plan FILE --to PHASE}: undoes the steps of the phases after PHASE. */
@Command(name = "rollback", description = "Rolls a plan back to a phase (or to its start), undoing steps in reverse.")
final class RollbackCommand extends ConnectedCommand {

    @Option(names = "--plan", required = true, paramLabel = "FILE", description = "the plan file")
    Path planFile;
    @ArgGroup(multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--to", paramLabel = "PHASE", description = "the phase to go back to")
        String phase;
        @Option(names = "--to-start", description = "undo every step")
        boolean start;
    }

    @Override
    public Integer call() throws Exception {
        var plan = PlanFile.read(planFile);
        if (target.phase != null) {
            plan.phaseIndex(target.phase);
        }
        try (Connection nc = connection.connect();
             MigrationRunner runner = plans.runner(plan, nc, new ProgressPrinter(out()))) {
            ApplyResult r = target.start ? runner.rollbackToStart() : runner.rollbackTo(target.phase);
            out().println("plan " + plan.name() + ": " + r.fromPhase() + " -> "
                    + (r.toPhase() == null ? "(start)" : r.toPhase()) + ", " + r.changed().size()
                    + " step(s) rolled back");
            return NatsMigrate.OK;
        }
    }
}
