package io.natsmigrate.core;

import java.time.Duration;

/**
 * Where a gate stands while a runner waits for it: what it waits for and what it saw last.
 *
 * @param plan     the plan
 * @param phase    the phase being applied
 * @param step     the step the gate guards, or null for a gate of the phase itself
 * @param gate     the gate's name (what it waits for)
 * @param waited   how long the runner has waited so far (on {@code gatePassed}: in all)
 * @param timeout  the gate's timeout
 * @param lastSeen the gate's last figure ("3 of 5 source consumers attached"), or the error of its last evaluation
 */
public record GateProgress(String plan, String phase, String step, String gate, Duration waited, Duration timeout,
                           String lastSeen) {
}
