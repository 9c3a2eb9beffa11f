package io.natsmigrate.core;

import java.util.List;

/** The server cannot run the plan: each problem says what is wrong and what to do. Nothing was changed. */
public class PreflightException extends MigrationException {

    private final List<String> problems;

    public PreflightException(String plan, List<String> problems) {
        super("Preflight of plan " + plan + " failed:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
