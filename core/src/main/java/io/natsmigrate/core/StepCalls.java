package io.natsmigrate.core;

import io.nats.client.Connection;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** A step's check, apply or rollback, retried through transient cluster errors; what remains fails the step. */
final class StepCalls {

    private StepCalls() {
    }

    /**
     * @throws StepFailedException naming plan, step and cause when the call fails for good (or a transient error
     *                             outlasts the runner's retry bound)
     */
    static <T> T retried(RunnerSettings s, Step step, String what, Callable<T> call) {
        try {
            List<Connection> watched = new ArrayList<>(List.of(s.nc()));
            watched.addAll(step.connections());
            return TransientErrors.retry(watched, s.transientRetry(), "Plan " + s.planName() + ": " + what
                    + " of step \"" + step.name() + "\"", call);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrationException("Interrupted; completed steps stay recorded, re-run to continue", e);
        } catch (Exception e) {
            throw new StepFailedException(s.planName(), step.name(), what, e);
        }
    }
}
