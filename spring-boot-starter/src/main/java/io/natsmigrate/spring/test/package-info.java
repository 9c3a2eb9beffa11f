/**
 * Spring test support: {@link io.natsmigrate.spring.test.EmbeddedNatsServer} starts a real nats-server (the testkit's)
 * for a test's application context and points {@code natsmigrate.server} at it, as {@code @EmbeddedKafka} does for
 * {@code spring.embedded.kafka.brokers}. Needs natsmigrate-testkit and spring-test on the test classpath.
 */
package io.natsmigrate.spring.test;
