package io.natsmigrate.core;

import java.util.List;

/**
 * What {@link MigrationRunner#preflight()} found when the plan can run: warnings that do not stop it but can cost
 * messages or resilience (limits that drop what consumers have not received, a state bucket with fewer replicas than
 * asked). Problems that stop it are thrown as {@link PreflightException} instead.
 *
 * @param plan the plan
 * @param warnings each with its figures and its fix
 */
public record PreflightReport(String plan, List<String> warnings) {

    public PreflightReport {
        warnings = List.copyOf(warnings);
    }

    public String toText() {
        return warnings.isEmpty() ? "Preflight of plan " + plan + ": no warnings\n"
                : "Preflight of plan " + plan + ": " + warnings.size() + " warning(s)\n  - "
                + String.join("\n  - ", warnings) + "\n";
    }
}
