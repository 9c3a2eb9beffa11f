package io.natsmigrate.cli;

import io.nats.client.Connection;
import io.natsmigrate.core.Transition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code natsmigrate history PLAN}: every recorded transition, oldest first. */
@Command(name = "history", description = "A recorded plan's history: steps applied and rolled back, phases reached.")
final class HistoryCommand extends ConnectedCommand {

    @Parameters(paramLabel = "PLAN", description = "the plan's name")
    String plan;
    @Option(names = "--json", description = "JSON instead of text")
    boolean json;

    @Override
    public Integer call() throws Exception {
        try (Connection nc = connection.connect()) {
            List<Transition> history = plans.recordedWith(nc, plan).history(plan);
            if (json) {
                out().println(Json.write(history));
                return NatsMigrate.OK;
            }
            for (Transition t : history) {
                out().printf("%4d %-24s %-8s %-10s %-40s %-9s %s %dms%s%n", t.seq(), t.at(),
                        t.kind(), t.phase() == null ? "-" : t.phase(), t.subject() == null ? "-" : t.subject(),
                        t.outcome(), t.instance(), t.durationMillis(),
                        t.detail() == null ? "" : "  " + t.detail());
            }
            return NatsMigrate.OK;
        }
    }
}
