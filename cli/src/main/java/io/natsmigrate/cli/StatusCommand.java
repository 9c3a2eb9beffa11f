package io.natsmigrate.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nats.client.Connection;
import io.natsmigrate.core.LockHolder;
import io.natsmigrate.core.MigrationRunner;
import io.natsmigrate.core.PlanState;
import io.natsmigrate.core.RecordedPlans;
import io.natsmigrate.core.StatusReport;
import io.natsmigrate.core.planfile.PlanFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** {@code natsmigrate status}: recorded plans, or one plan file's steps with live figures. */
@Command(name = "status", description = {"Where plans are: their phase, steps and lock.",
        "With --plan, the plan file's steps and the live figures of its streams and consumers."})
final class StatusCommand extends ConnectedCommand {

    @Option(names = "--plan", paramLabel = "FILE", description = "a plan file (.yaml, .yml, .json)")
    Path planFile;
    @Parameters(arity = "0..1", paramLabel = "PLAN", description = "a recorded plan's name (default: all)")
    String plan;
    @Option(names = "--json", description = "JSON instead of text")
    boolean json;

    @Override
    public Integer call() throws Exception {
        try (Connection nc = connection.connect()) {
            if (planFile != null) {
                try (MigrationRunner runner = plans.runner(PlanFile.read(planFile), nc, null)) {
                    StatusReport report = runner.status();
                    Optional<LockHolder> lock = runner.lockHolder();
                    out().println(json ? withLock(report.toJson(), lock)
                            : report.toText() + "lock: " + lock.map(LockHolder::toString).orElse("free"));
                }
                return NatsMigrate.OK;
            }
            Optional<RecordedPlans> bucket = plan != null ? Optional.of(plans.recordedWith(nc, plan))
                    : RecordedPlans.find(nc, plans.bucket);
            if (bucket.isEmpty()) {
                out().println(json ? "[]" : "No plans recorded: there is no bucket "
                        + plans.bucket + " on this system yet");
                return NatsMigrate.OK;
            }
            RecordedPlans recorded = bucket.get();
            List<String> names = plan != null ? List.of(plan) : recorded.plans();
            ArrayNode all = Json.MAPPER.createArrayNode();
            StringBuilder text = new StringBuilder();
            text.append(String.format("%-32s %-18s %6s  %-28s %s%n", "PLAN", "PHASE", "STEPS", "IN PROGRESS",
                    "LOCK"));
            for (String name : names) {
                PlanState s = recorded.state(name);
                Optional<LockHolder> lock = recorded.lockHolder(name);
                ObjectNode n = all.addObject();
                n.put("plan", name);
                n.put("phase", s.phase());
                n.put("appliedSteps", s.steps().size());
                ArrayNode steps = n.putArray("steps");
                s.steps().keySet().forEach(steps::add);
                if (s.inProgress() != null) {
                    n.put("inProgress", s.inProgress().step());
                }
                lock.ifPresent(h -> n.set("lock", Json.lock(h)));
                text.append(String.format("%-32s %-18s %6d  %-28s %s%n", name, s.phase() == null ? "-" : s.phase(),
                        s.steps().size(), s.inProgress() == null ? "-" : s.inProgress().step(),
                        lock.map(LockHolder::toString).orElse("free")));
            }
            out().print(json ? Json.write(all) + System.lineSeparator()
                    : names.isEmpty() ? "No plans recorded in bucket " + plans.bucket + System.lineSeparator() : text);
            return NatsMigrate.OK;
        }
    }

    private static String withLock(String reportJson, Optional<LockHolder> lock) throws Exception {
        ObjectNode n = (ObjectNode) Json.MAPPER.readTree(reportJson);
        lock.ifPresent(h -> n.set("lock", Json.lock(h)));
        return Json.write(n);
    }
}
