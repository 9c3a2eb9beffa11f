package io.natsmigrate.spring;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of the migration: UP once the recorded phase has reached {@code natsmigrate.target-phase} (or there is no
 * target), OUT_OF_SERVICE before, DOWN when a contributor's figure is bad or the state cannot be read. Details: the
 * {@link MigrationStatus} figures (phase, lock, gates waited on, dead letters, consumer lag).
 */
public class NatsMigrateHealthIndicator extends AbstractHealthIndicator {

    private final MigrationStatus status;

    public NatsMigrateHealthIndicator(MigrationStatus status) {
        super("natsmigrate health check failed");
        this.status = status;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        MigrationStatus.Snapshot s = status.look();
        if (!s.healthy()) {
            builder.down();
        } else if (s.targetReached()) {
            builder.up();
        } else {
            builder.outOfService();
        }
        builder.withDetails(s.details());
    }
}
