package io.natsmigrate.spring;

import io.natsmigrate.core.ApplyOptions;
import io.natsmigrate.core.ApplyResult;
import io.natsmigrate.core.MigrationRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;

/**
 * Applies the plan to {@code natsmigrate.target-phase} while the context starts (Flyway's
 * {@code FlywayMigrationInitializer}): the beans that publish or consume depend on it, so they start on migrated
 * streams. A failure fails the startup with the runner's message.
 */
public final class StartupMigration implements InitializingBean {

    private static final Logger LOG = LoggerFactory.getLogger(StartupMigration.class);

    private final MigrationRunner runner;
    private final NatsMigrateProperties properties;
    private volatile ApplyResult result;

    public StartupMigration(MigrationRunner runner, NatsMigrateProperties properties) {
        this.runner = runner;
        this.properties = properties;
    }

    @Override
    public void afterPropertiesSet() {
        String target = properties.targetPhase();
        if (!properties.applyOnStartup() || target == null || target.isBlank()) {
            LOG.info("Plan {}: not applied on startup (natsmigrate.target-phase {}, apply-on-startup {})",
                    runner.plan().name(), target, properties.applyOnStartup());
            return;
        }
        runner.plan().phaseIndex(target);
        ApplyOptions.Builder options = ApplyOptions.builder();
        for (String step : properties.confirmIrreversible()) {
            if (step.equals("*")) {
                options.confirmAllIrreversible();
            } else {
                options.confirmIrreversible(step);
            }
        }
        result = runner.applyTo(target, options.build());
        LOG.info("Plan {}: at phase {} ({} step(s) changed on startup)", runner.plan().name(), result.toPhase(),
                result.changed().size());
    }

    /** What the startup apply did; null when nothing was applied. */
    public ApplyResult result() {
        return result;
    }
}
