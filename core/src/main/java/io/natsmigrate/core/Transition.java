package io.natsmigrate.core;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One entry of a plan's history.
 *
 * @param seq 1-based, increasing
 * @param kind {@code APPLY}, {@code ROLLBACK} (a step) or {@code PHASE} (the recorded phase changed)
 * @param subject the step name, or for {@code PHASE} the new phase ({@code null}: before the first phase)
 * @param phase the phase the step belongs to
 * @param outcome {@code SUCCEEDED} or {@code FAILED}
 * @param action for steps: {@code CREATED}, {@code UPDATED}, {@code ADOPTED}, {@code DELETED}, {@code RAN}
 * @param instance the instance that did it
 * @param at when it finished (ISO-8601)
 * @param durationMillis how long it took
 * @param detail the error, or the diff that caused an update
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Transition(long seq, String kind, String subject, String phase, String outcome, String action,
                         String instance, String at, long durationMillis, String detail) {
}
