package io.natsmigrate.spring;

import io.nats.client.Connection;
import io.natsmigrate.core.GateProgress;
import io.natsmigrate.core.LockHolder;
import io.natsmigrate.core.MigrationRunner;
import io.natsmigrate.core.PlanState;
import io.natsmigrate.core.Transition;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One look at the migration, for the actuator endpoint and the health indicator: the plan's recorded phase against
 * the target, applied steps, the step in progress, the lock, the gates waited on, and the contributors' figures.
 */
public final class MigrationStatus {

    /** What the look found. */
    public record Snapshot(Map<String, Object> details, boolean targetReached, boolean healthy) {
    }

    private final MigrationRunner runner;
    private final Connection nc;
    private final NatsMigrateProperties properties;
    private final GateWatch gates;
    private final List<StatusContributor> contributors;

    public MigrationStatus(MigrationRunner runner, Connection nc, NatsMigrateProperties properties, GateWatch gates,
                           List<StatusContributor> contributors) {
        this.runner = runner;
        this.nc = nc;
        this.properties = properties;
        this.gates = gates;
        this.contributors = List.copyOf(contributors);
    }

    public Snapshot look() throws Exception {
        PlanState state = runner.state();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("plan", runner.plan().name());
        d.put("phase", state.phase());
        d.put("targetPhase", properties.targetPhase());
        d.put("phases", runner.plan().phases().stream().map(p -> p.name()).toList());
        d.put("appliedSteps", state.steps().size());
        d.put("steps", runner.plan().steps().size());
        if (state.inProgress() != null) {
            d.put("inProgress", state.inProgress().step() + " (" + state.inProgress().operation() + ")");
        }
        Optional<LockHolder> lock = runner.lockHolder();
        d.put("lock", lock.map(MigrationStatus::lock).orElse(Map.of("held", false)));
        List<GateProgress> waiting = gates.waiting();
        d.put("gatesWaiting", waiting.stream().map(g -> Map.of("gate", g.gate(), "phase", g.phase(),
                "waitedSeconds", g.waited().toSeconds(), "lastSeen", String.valueOf(g.lastSeen()))).toList());
        boolean healthy = true;
        for (StatusContributor c : contributors) {
            healthy &= c.contribute(nc, d);
        }
        String target = properties.targetPhase();
        boolean reached = target == null || target.isBlank() || (state.phase() != null
                && runner.plan().phaseIndex(state.phase()) >= runner.plan().phaseIndex(target));
        return new Snapshot(d, reached, healthy);
    }

    /** The plan's history, oldest first. */
    public List<Transition> history() {
        return runner.history();
    }

    private static Map<String, Object> lock(LockHolder h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("held", true);
        m.put("instance", h.instance());
        m.put("ageSeconds", h.age().toSeconds());
        m.put("expired", h.expired());
        return m;
    }
}
