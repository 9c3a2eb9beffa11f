package io.natsmigrate.core;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One entry of a plan's history.
 *
 * @param seq 1-based, increasing
 * @param kind a step applied or rolled back, or the recorded phase changed
 * @param subject the step name, or for {@code PHASE} the new phase ({@code null}: before the first phase)
 * @param phase the phase the step belongs to
 * @param outcome succeeded or failed
 * @param action for steps: what the apply did (or, for a rollback, what was undone); null for phases
 * @param instance the instance that did it
 * @param at when it finished (ISO-8601)
 * @param durationMillis how long it took
 * @param detail the error, or the diff that caused an update
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Transition(long seq, TransitionKind kind, String subject, String phase, TransitionOutcome outcome,
                         StepResult.Action action, String instance, String at, long durationMillis, String detail) {

    /** The same transition with another sequence number (when another writer took the one it had). */
    Transition withSeq(long newSeq) {
        return new Transition(newSeq, kind, subject, phase, outcome, action, instance, at, durationMillis, detail);
    }
}
