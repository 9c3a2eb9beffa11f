package io.natsmigrate.core;

import java.time.Instant;

/** Another instance holds the plan's lease: it is applying or rolling back right now. */
public class PlanLockedException extends MigrationException {

    private final String holder;
    private final Instant expiresAt;

    public PlanLockedException(String plan, String holder, Instant expiresAt) {
        super("Plan " + plan + " is being changed by instance " + holder + " (lease until " + expiresAt + "). Wait"
                + " for it to finish; a crashed holder's lease expires by itself and is then taken over");
        this.holder = holder;
        this.expiresAt = expiresAt;
    }

    public String holder() {
        return holder;
    }

    public Instant expiresAt() {
        return expiresAt;
    }
}
