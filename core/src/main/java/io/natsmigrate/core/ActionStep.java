package io.natsmigrate.core;

import io.nats.client.Connection;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A step that runs application code (e.g. "switch publishers to dual mode"), with an optional undo. */
final class ActionStep implements Step {

    /** Application code run by an action step. */
    @FunctionalInterface
    interface Action {
        void run(StepContext ctx) throws Exception;
    }

    private final String name;
    private final Action apply;
    private final Action undo;
    private final List<Gate> gates;
    private final List<Connection> connections;
    /** Records a point reached and runs no code: a plan file can express it. */
    private final boolean marker;

    ActionStep(String name, Action apply, Action undo, List<Gate> gates) {
        this(name, apply, undo, gates, List.of());
    }

    /** An action that also sends requests on {@code connections} (see {@link Step#connections()}). */
    ActionStep(String name, Action apply, Action undo, List<Gate> gates, List<Connection> connections) {
        this(name, apply, undo, gates, connections, false);
    }

    private ActionStep(String name, Action apply, Action undo, List<Gate> gates, List<Connection> connections,
                       boolean marker) {
        this.marker = marker;
        this.name = name;
        this.apply = apply;
        this.undo = undo;
        this.gates = List.copyOf(gates);
        this.connections = List.copyOf(connections);
    }

    /** A step that only records that it was reached; {@code reversible} false makes applying it need confirmation. */
    static ActionStep marker(String name, boolean reversible, List<Gate> gates) {
        Action nothing = ctx -> { };
        return new ActionStep(name, nothing, reversible ? nothing : null, gates, List.of(), true);
    }

    @Override
    public Optional<Map<String, Object>> declaration() {
        if (!marker || gates.stream().anyMatch(g -> g.declaration().isEmpty())) {
            return Optional.empty();
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("name", name);
        if (undo == null) {
            fields.put("irreversible", true);
        }
        if (!gates.isEmpty()) {
            fields.put("gates", gates.stream().map(g -> g.declaration().orElseThrow()).toList());
        }
        return Optional.of(Map.of("marker", fields));
    }

    @Override
    public List<Connection> connections() {
        return connections;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public StepCheck check(StepContext ctx) {
        return StepCheck.unknown();
    }

    @Override
    public StepResult apply(StepContext ctx) throws Exception {
        apply.run(ctx);
        return StepResult.of(StepResult.Action.RAN);
    }

    @Override
    public Reversibility reversibility() {
        return undo == null ? Reversibility.IRREVERSIBLE : Reversibility.REVERSIBLE;
    }

    @Override
    public void rollback(StepContext ctx, StepResult applied) throws Exception {
        if (undo != null) {
            undo.run(ctx);
        }
    }

    @Override
    public List<Gate> gates() {
        return gates;
    }
}
