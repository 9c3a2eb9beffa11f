package io.natsmigrate.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A named group of steps, applied in order after its gates pass. Immutable; built inside {@link MigrationPlan}. */
public final class Phase {

    private final String name;
    private final List<Step> steps;
    private final List<Gate> gates;

    private Phase(String name, List<Step> steps, List<Gate> gates) {
        this.name = name;
        this.steps = List.copyOf(steps);
        this.gates = List.copyOf(gates);
    }

    public String name() {
        return name;
    }

    public List<Step> steps() {
        return steps;
    }

    /** Preconditions waited on before the phase's first step. */
    public List<Gate> gates() {
        return gates;
    }

    /** Collects a phase's steps and gates. */
    public static final class Builder {
        private final String name;
        private final List<Step> steps = new ArrayList<>();
        private final List<Gate> gates = new ArrayList<>();

        Builder(String name) {
            this.name = name;
        }

        public Builder step(Step step) {
            steps.add(Objects.requireNonNull(step, "step"));
            return this;
        }

        public Builder gate(Gate gate) {
            gates.add(Objects.requireNonNull(gate, "gate"));
            return this;
        }

        Phase build() {
            return new Phase(name, steps, gates);
        }
    }
}
