package io.natsmigrate.core;

import java.util.List;

/**
 * What an apply would change, per step, and which phase transitions would happen. {@link #toText()} for people,
 * {@link #toJson()} for tools.
 *
 * @param plan the plan
 * @param fromPhase the recorded phase (null: none)
 * @param toPhase the target
 * @param changes one entry per step up to the target
 * @param transitions phase transitions, e.g. {@code "provision -> dual-publish"}
 * @param warnings what can cost messages once applied (limits that drop what consumers have not received), with
 *                 figures and the fix
 */
public record DryRun(String plan, String fromPhase, String toPhase, List<PlannedChange> changes,
                     List<String> transitions, List<String> warnings) {

    /** What would happen to one step's resource. */
    public enum Kind {
        /** Created. */
        CREATE,
        /** Updated; see the field diffs. */
        UPDATE,
        /** Exists and matches: recorded as adopted, not recreated. */
        ADOPT,
        /** Deleted. */
        DELETE,
        /** Application code runs. */
        RUN,
        /** Nothing to do. */
        NO_OP
    }

    /**
     * One step's planned change.
     *
     * @param phase its phase
     * @param step its name
     * @param kind what would happen
     * @param diffs for updates: the fields that would change
     * @param irreversible whether applying it needs confirmation
     */
    public record PlannedChange(String phase, String step, Kind kind, List<FieldDiff> diffs, boolean irreversible) {
    }

    public DryRun {
        changes = List.copyOf(changes);
        transitions = List.copyOf(transitions);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** True when applying would change nothing. */
    public boolean isNoOp() {
        return transitions.isEmpty() && changes.stream().allMatch(c -> c.kind() == Kind.NO_OP);
    }

    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append("Plan ").append(plan).append(": ").append(fromPhase == null ? "(start)" : fromPhase).append(" -> ")
                .append(toPhase).append('\n');
        String currentPhase = null;
        for (PlannedChange c : changes) {
            if (!c.phase().equals(currentPhase)) {
                currentPhase = c.phase();
                sb.append("  phase ").append(currentPhase).append('\n');
            }
            sb.append(String.format("    %-7s %s%s%n", c.kind(), c.step(), c.irreversible() ? "  [irreversible]" : ""));
            c.diffs().forEach(d -> sb.append("            ").append(d).append('\n'));
        }
        sb.append("  transitions: ").append(transitions.isEmpty() ? "none" : String.join(", ", transitions));
        sb.append('\n');
        warnings.forEach(w -> sb.append("  WARNING: ").append(w).append('\n'));
        return sb.toString();
    }

    public String toJson() {
        return io.natsmigrate.core.internal.Json.pretty(this);
    }
}
