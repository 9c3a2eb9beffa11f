package io.natsmigrate.core;

import java.util.List;

/**
 * What an apply or rollback did.
 *
 * @param fromPhase the recorded phase before (null: none)
 * @param toPhase the recorded phase after
 * @param changed steps applied or rolled back, with what they did
 * @param resourceReads JetStream API reads made by steps
 * @param resourceWrites JetStream API writes made by steps
 * @param stateWrites writes of the recorded state
 */
public record ApplyResult(String fromPhase, String toPhase, List<String> changed, long resourceReads,
                          long resourceWrites, long stateWrites) {

    public ApplyResult {
        changed = List.copyOf(changed);
    }
}
