package io.natsmigrate.spring.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Starts a real nats-server with JetStream (natsmigrate-testkit's {@code NatsServer}) for the test's application
 * context, sets {@code natsmigrate.embedded.server-url} and each of {@link #urlProperties()} to its URL, registers
 * it as bean {@value #BEAN_NAME}, and stops it when the context closes. Contexts cached by Spring's test framework
 * keep their server.
 *
 * <pre>{@code
 * @SpringBootTest(properties = {"natsmigrate.plan-file=classpath:orders.yaml", "natsmigrate.target-phase=provision"})
 * @EmbeddedNatsServer
 * class OrdersMigrationTest { ... }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface EmbeddedNatsServer {

    /** The bean name of the started {@code io.natsmigrate.testkit.NatsServer}. */
    String BEAN_NAME = "embeddedNatsServer";

    /** Properties set to the server's URL (default {@code natsmigrate.server}). */
    String[] urlProperties() default {"natsmigrate.server"};
}
