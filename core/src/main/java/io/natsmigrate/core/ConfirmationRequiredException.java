package io.natsmigrate.core;

import java.util.List;

/** The target needs irreversible steps that the caller did not confirm. Nothing was changed. */
public class ConfirmationRequiredException extends MigrationException {

    private final List<String> steps;

    public ConfirmationRequiredException(List<String> steps) {
        super("Irreversible step(s) " + steps + " need explicit confirmation: pass ApplyOptions.builder()"
                + ".confirmIrreversible(\"<step>\") for each. Nothing was changed");
        this.steps = List.copyOf(steps);
    }

    /** The unconfirmed irreversible steps. */
    public List<String> steps() {
        return steps;
    }
}
