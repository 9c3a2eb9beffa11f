package io.natsmigrate.core;

import java.util.List;

/**
 * A step's live state compared with what it wants.
 *
 * @param status the verdict
 * @param diffs the differing fields when {@link Status#DRIFTED}
 */
public record StepCheck(Status status, List<FieldDiff> diffs) {

    /** The verdict of a check. */
    public enum Status {
        /** Live state is what the step wants. */
        IN_SYNC,
        /** The resource does not exist (a create is due). */
        MISSING,
        /** The resource exists with other settings (an update is due). */
        DRIFTED,
        /** The step has no live state to compare (an action); the recorded state decides. */
        UNKNOWN
    }

    public StepCheck {
        diffs = List.copyOf(diffs);
    }

    public static StepCheck inSync() {
        return new StepCheck(Status.IN_SYNC, List.of());
    }

    public static StepCheck missing() {
        return new StepCheck(Status.MISSING, List.of());
    }

    public static StepCheck drifted(List<FieldDiff> diffs) {
        return new StepCheck(Status.DRIFTED, diffs);
    }

    public static StepCheck unknown() {
        return new StepCheck(Status.UNKNOWN, List.of());
    }
}
