package io.natsmigrate.spring;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@code natsmigrate} actuator endpoint and health indicator, over {@link MigrationStatus}. */
@AutoConfiguration(after = NatsMigrateAutoConfiguration.class)
@ConditionalOnBean(MigrationStatus.class)
public class NatsMigrateActuatorAutoConfiguration {

    /** The endpoint, when spring-boot-actuator is on the classpath. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
    static class EndpointConfiguration {

        @Bean
        @ConditionalOnMissingBean
        NatsMigrateEndpoint natsMigrateEndpoint(MigrationStatus status) {
            return new NatsMigrateEndpoint(status);
        }
    }

    /** The health indicator, when spring-boot-health is on the classpath. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    static class HealthConfiguration {

        @Bean("natsmigrateHealthIndicator")
        @ConditionalOnMissingBean(name = "natsmigrateHealthIndicator")
        NatsMigrateHealthIndicator natsmigrateHealthIndicator(MigrationStatus status) {
            return new NatsMigrateHealthIndicator(status);
        }
    }
}
