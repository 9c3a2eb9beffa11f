package io.natsmigrate.core;

import java.util.List;

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

    ActionStep(String name, Action apply, Action undo, List<Gate> gates) {
        this.name = name;
        this.apply = apply;
        this.undo = undo;
        this.gates = List.copyOf(gates);
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
