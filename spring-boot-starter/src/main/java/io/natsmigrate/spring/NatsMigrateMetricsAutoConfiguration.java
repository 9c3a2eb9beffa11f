package io.natsmigrate.spring;

import io.micrometer.core.instrument.MeterRegistry;
import io.nats.client.Connection;
import io.natsmigrate.core.MigrationMetrics;
import io.natsmigrate.core.MigrationPlan;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters: the plan runner's ({@link MigrationMetrics}, bound before the startup migration so its steps
 * are counted) and every {@code ConsumerRunner}, {@code ReliablePublisher} and {@code DeadLetterQueue} bean's.
 */
@AutoConfiguration(after = NatsMigrateAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration"})
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnProperty(prefix = "natsmigrate", name = "enabled", havingValue = "true", matchIfMissing = true)
public class NatsMigrateMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(MigrationPlan.class)
    MigrationMetrics natsMigrateMetrics(MigrationPlan plan, ObjectProvider<MeterRegistry> registry) {
        MigrationMetrics metrics = new MigrationMetrics(plan.name());
        // Bound now, not when Spring Boot binds MeterBinders: the startup migration may run before that, and its
        // steps must be counted. Binding twice registers nothing twice (same meter ids).
        registry.ifUnique(metrics::bindTo);
        return metrics;
    }

    @Bean
    static BeanMeters natsMigrateBeanMeters(ListableBeanFactory beans, ObjectProvider<MeterRegistry> registry,
                                            ObjectProvider<Connection> nc) {
        return new BeanMeters(beans, registry, nc);
    }
}
