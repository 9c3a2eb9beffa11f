package io.natsmigrate.core;

import io.nats.client.Connection;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * What every command of a {@link MigrationRunner} works with: the plan, the connection, who the runner is (its shown
 * instance id and the private token that makes a lease its own), its timings and listeners, and the state store.
 */
record RunnerSettings(MigrationPlan plan, Connection nc, String instanceId, String token, Duration lease,
                      Duration lockWait, Duration transientRetry, List<MigrationListener> listeners,
                      PlanStore store, int requestedReplicas) {

    String planName() {
        return plan.name();
    }

    StepContext stepContext() {
        try {
            return new StepContext(nc, plan.name(), instanceId);
        } catch (IOException e) {
            throw new MigrationException("Could not create a JetStream context: " + e, e);
        }
    }
}
