package io.natsmigrate.core;

import java.time.Duration;
import java.time.Instant;

/**
 * Who holds a plan's lease lock, for operators deciding whether to release it ({@link MigrationRunner#lockHolder()},
 * {@link MigrationRunner#forceUnlock()}).
 *
 * @param plan the plan
 * @param instance the holder's instance id (shown; several runners may share one)
 * @param acquiredAt when the holder took the lease (null for a lease written by 0.1.0)
 * @param expiresAt when the lease runs out unless renewed
 */
public record LockHolder(String plan, String instance, Instant acquiredAt, Instant expiresAt) {

    /** How long the lease has been held, as of now (zero when unknown). */
    public Duration age() {
        return acquiredAt == null ? Duration.ZERO : Duration.between(acquiredAt, Instant.now());
    }

    /** Whether the lease ran out: its holder stopped renewing it (crashed), and the next runner takes it over. */
    public boolean expired() {
        return Instant.now().isAfter(expiresAt);
    }

    @Override
    public String toString() {
        return "instance " + instance + ", held for " + age().toSeconds() + " s, " + (expired() ? "expired" : "expires")
                + " at " + expiresAt;
    }
}
