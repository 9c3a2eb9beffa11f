package io.natsmigrate.core;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A plan's recorded state as one value: the phase and in-progress marker (key {@code plan.<name>} of the state
 * bucket), every applied step (one key each, {@code step.<name>.<id>}) and the history (one key per transition,
 * {@code hist.<name>.<seq>}). Writes touch one key at a time, so a write costs the same whatever the plan's size and
 * age; the shape is documented in the README ("Migration state").
 *
 * @param plan the plan name
 * @param phase the last phase completed, or null before the first
 * @param steps applied steps by name
 * @param inProgress the step being applied or rolled back when the state was written, or null
 * @param history every transition, oldest first (empty when read without history)
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

    /**
     * A step recorded as applied.
     *
     * @param action what the apply did
     * @param undo what its rollback needs (e.g. the previous config, or a consumer move's position), or null
     * @param at when (ISO-8601)
     * @param instance by which instance
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record AppliedStep(StepResult.Action action, String undo, String at, String instance) {
    }

    /**
     * A step being worked on; left behind when an instance crashed or a call failed mid-step, and finished by the next
     * apply (or undone by a rollback).
     *
     * @param step the step
     * @param operation apply or rollback
     * @param startedAt when (ISO-8601)
     * @param instance which instance
     * @param before for an apply: the step's live state before it ran, so the next run knows whether the step
     *               created what it touched (a create whose call failed or timed out may still have happened)
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record InProgress(String step, StepOperation operation, String startedAt, String instance,
                             StepCheck.Status before) {
    }
}
