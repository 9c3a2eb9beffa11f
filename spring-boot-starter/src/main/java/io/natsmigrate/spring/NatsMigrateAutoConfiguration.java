package io.natsmigrate.spring;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.natsmigrate.core.MigrationListener;
import io.natsmigrate.core.MigrationPlan;
import io.natsmigrate.core.MigrationRunner;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;

import java.io.IOException;

/**
 * natsmigrate's Spring Boot auto-configuration. With {@code natsmigrate.server} (or a {@link Connection} bean) and
 * {@code natsmigrate.plan-file} (or a {@link MigrationPlan} bean) it creates a {@link MigrationRunner}, applies the
 * plan to {@code natsmigrate.target-phase} on startup before the application's runners and publishers start
 * ({@link #STARTUP_MIGRATION} bean). {@link NatsMigrateMetricsAutoConfiguration} adds the meters and
 * {@link NatsMigrateActuatorAutoConfiguration} the endpoint and health indicator, when those are on the classpath.
 * Every bean backs off when the application defines its own.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "natsmigrate", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(NatsMigrateProperties.class)
public class NatsMigrateAutoConfiguration {

    /** The name of the bean that applies the plan on startup; depend on it to start after the migration. */
    public static final String STARTUP_MIGRATION = "natsMigrateStartupMigration";

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "natsmigrate", name = "server")
    Connection natsMigrateConnection(NatsMigrateProperties properties) throws IOException, InterruptedException {
        Options.Builder b = Options.builder().server(properties.server()).maxReconnects(-1)
                .connectionName("natsmigrate");
        if (properties.credentials() != null) {
            b.authHandler(Nats.credentials(properties.credentials()));
        }
        return Nats.connect(b.build());
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "natsmigrate", name = "plan-file")
    MigrationPlan natsMigratePlan(NatsMigrateProperties properties, ResourceLoader resources) throws IOException {
        return PlanResources.read(resources.getResource(properties.planFile()), properties.planFile());
    }

    @Bean
    @ConditionalOnMissingBean
    GateWatch natsMigrateGateWatch() {
        return new GateWatch();
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    @ConditionalOnBean({MigrationPlan.class, Connection.class})
    MigrationRunner natsMigrateRunner(MigrationPlan plan, Connection nc, NatsMigrateProperties properties,
                                      ObjectProvider<MigrationListener> listeners) {
        MigrationRunner.Builder b = plan.runner(nc).bucket(properties.bucket());
        if (properties.instanceId() != null) {
            b.instanceId(properties.instanceId());
        }
        if (properties.lockWait() != null) {
            b.lockWait(properties.lockWait());
        }
        listeners.orderedStream().forEach(b::listener);
        return b.build();
    }

    @Bean(STARTUP_MIGRATION)
    @ConditionalOnBean(MigrationRunner.class)
    StartupMigration natsMigrateStartupMigration(MigrationRunner runner, NatsMigrateProperties properties) {
        return new StartupMigration(runner, properties);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(MigrationRunner.class)
    MigrationStatus natsMigrateStatus(MigrationRunner runner, Connection nc, NatsMigrateProperties properties,
                                      GateWatch gates, ObjectProvider<StatusContributor> contributors) {
        return new MigrationStatus(runner, nc, properties, gates, contributors.orderedStream().toList());
    }

    /** The application's runners, publishers and DLQs start after the startup migration. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.natsmigrate.consumer.ConsumerRunner")
    static class ConsumerPatternsConfiguration {

        @Bean
        static StartupOrder natsMigrateConsumersDependOnStartup() {
            return new StartupOrder(io.natsmigrate.consumer.ConsumerRunner.class,
                    io.natsmigrate.consumer.DeadLetterQueue.class);
        }

        @Bean
        StatusContributor natsMigrateConsumerFigures(ListableBeanFactory beans) {
            return new ConsumerFigures(beans);
        }
    }

    /** Reliable publishers start after the startup migration (their streams exist then). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.natsmigrate.reliable.ReliablePublisher")
    static class ReliablePublishConfiguration {

        @Bean
        static StartupOrder natsMigratePublishersDependOnStartup() {
            return new StartupOrder(io.natsmigrate.reliable.ReliablePublisher.class);
        }
    }
}
