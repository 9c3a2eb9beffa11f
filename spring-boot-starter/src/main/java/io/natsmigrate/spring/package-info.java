/**
 * Spring Boot auto-configuration for natsmigrate ({@link io.natsmigrate.spring.NatsMigrateAutoConfiguration}):
 * {@code natsmigrate.*} properties ({@link io.natsmigrate.spring.NatsMigrateProperties}), a plan applied on startup
 * like {@code spring.flyway}, the {@code natsmigrate} actuator endpoint and health indicator, and Micrometer meters
 * for the plan runner and every {@code ConsumerRunner}, {@code ReliablePublisher} and {@code DeadLetterQueue} bean.
 * Tests point the application at a real nats-server with {@link io.natsmigrate.spring.test.EmbeddedNatsServer}.
 */
package io.natsmigrate.spring;
