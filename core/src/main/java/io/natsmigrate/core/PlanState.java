package io.natsmigrate.core;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A plan's recorded state, stored as JSON under key {@code plan.<name>} of the state bucket and written only with
 * compare-and-set on the key's revision. The JSON shape is documented in the README ("Migration state").
 *
 * @param plan the plan name
 * @param phase the last phase completed, or null before the first
 * @param steps applied steps by name
 * @param inProgress the step being applied or rolled back when the state was written, or null
 * @param history every transition, oldest first
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PlanState(String plan, String phase, Map<String, AppliedStep> steps, InProgress inProgress,
                        List<Transition> history) {

    public PlanState {
        steps = steps == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(steps));
        history = history == null ? List.of() : List.copyOf(history);
    }

    /** The state of a plan never applied. */
    public static PlanState initial(String plan) {
        return new PlanState(plan, null, Map.of(), null, List.of());
    }

    /** The recorded phase, empty before the first. */
    public Optional<String> currentPhase() {
        return Optional.ofNullable(phase);
    }

    /** True when the step is recorded as applied. */
    public boolean isApplied(String step) {
        return steps.containsKey(step);
    }

    PlanState withInProgress(InProgress p) {
        return new PlanState(plan, phase, steps, p, history);
    }

    PlanState withApplied(String step, AppliedStep applied, Transition t) {
        Map<String, AppliedStep> s = new LinkedHashMap<>(steps);
        s.put(step, applied);
        return new PlanState(plan, phase, s, null, append(t));
    }

    PlanState withRolledBack(String step, Transition t) {
        Map<String, AppliedStep> s = new LinkedHashMap<>(steps);
        s.remove(step);
        return new PlanState(plan, phase, s, null, append(t));
    }

    PlanState withPhase(String newPhase, Transition t) {
        return new PlanState(plan, newPhase, steps, null, append(t));
    }

    PlanState withFailure(Transition t) {
        return new PlanState(plan, phase, steps, null, append(t));
    }

    long nextSeq() {
        return history.isEmpty() ? 1 : history.get(history.size() - 1).seq() + 1;
    }

    private List<Transition> append(Transition t) {
        List<Transition> h = new ArrayList<>(history);
        h.add(t);
        return h;
    }

    /**
     * A step recorded as applied.
     *
     * @param action what the apply did
     * @param undo what its rollback needs (e.g. the previous config), or null
     * @param at when (ISO-8601)
     * @param instance by which instance
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AppliedStep(String action, String undo, String at, String instance) {
    }

    /**
     * A step being worked on; left behind when an instance crashed mid-step, and finished by the next apply.
     *
     * @param step the step
     * @param operation {@code APPLY} or {@code ROLLBACK}
     * @param startedAt when (ISO-8601)
     * @param instance which instance
     * @param before for {@code APPLY}: the step's live state before it ran ({@code MISSING}, {@code IN_SYNC},
     *               {@code DRIFTED}, {@code UNKNOWN}), so a rollback after a crash knows whether the step created
     *               what it touched
     */
    public record InProgress(String step, String operation, String startedAt, String instance, String before) {
    }
}
