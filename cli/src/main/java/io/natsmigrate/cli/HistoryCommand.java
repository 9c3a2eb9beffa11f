package io.natsmigrate.cli;

import io.nats.client.Connection;
import io.natsmigrate.core.Transition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code natsmigrate history PLAN}: every recorded transition, oldest first. */
@Command(name = "history", description = "A recorded plan's history: steps applied and rolled back, phases reached.")
final class HistoryCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;
    @Mixin
    PlanOptions plans;
    @Parameters(paramLabel = "PLAN", description = "the plan's name")
    String plan;
    @Option(names = "--json", description = "JSON instead of text")
    boolean json;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (Connection nc = connection.connect()) {
            List<Transition> history = plans.recordedWith(nc, plan).history(plan);
            if (json) {
                spec.commandLine().getOut().println(Json.write(history));
                return NatsMigrate.OK;
            }
            for (Transition t : history) {
                spec.commandLine().getOut().printf("%4d %-24s %-8s %-10s %-40s %-9s %s %dms%s%n", t.seq(), t.at(),
                        t.kind(), t.phase() == null ? "-" : t.phase(), t.subject() == null ? "-" : t.subject(),
                        t.outcome(), t.instance(), t.durationMillis(),
                        t.detail() == null ? "" : "  " + t.detail());
            }
            return NatsMigrate.OK;
        }
    }
}
