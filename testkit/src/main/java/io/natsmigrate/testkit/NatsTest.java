package io.natsmigrate.testkit;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the annotated test class or method against real nats-server processes and injects them.
 *
 * <p>Test and lifecycle methods may declare parameters of these types: {@link NatsServer} (the single server,
 * or the hub of {@link Topology#HUB_AND_LEAF}), {@link NatsCluster}, {@link HubAndLeaf},
 * {@link io.nats.client.Connection}, {@link io.nats.client.JetStreamManagement} and
 * {@link io.nats.client.JetStream} (connected to the server, the whole cluster, or the hub).
 *
 * <pre>{@code
 * @NatsTest(syncInterval = "always")
 * class OrdersTest {
 *     @Test
 *     void storesOrders(NatsServer server, JetStreamManagement jsm, JetStream js) { ... }
 * }
 * }</pre>
 *
 * <p>Servers are always stopped and their temporary stores deleted, also when a test fails; a failing test's
 * report carries the server log as a suppressed exception. Each class or method gets its own servers on their
 * own ports, so test classes can run in parallel.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@ExtendWith(NatsServerExtension.class)
public @interface NatsTest {

    /** What to start. */
    Topology topology() default Topology.SINGLE;

    /**
     * One topology per test method (isolated, the default) or one shared by all tests of the class (faster,
     * tests must not collide on stream names). An annotation on a method always means per method.
     */
    Scope scope() default Scope.PER_METHOD;

    /** JetStream on the single server (clusters and hub/leaf always have it). */
    boolean jetStream() default true;

    /** JetStream {@code sync_interval}, e.g. {@code "always"}; empty for the server default. */
    String syncInterval() default "";

    /** JetStream domain of the single server, or of the leaf in {@link Topology#HUB_AND_LEAF}; empty for none. */
    String domain() default "";

    /** Nodes in a {@link Topology#CLUSTER}. */
    int clusterSize() default 3;

    /** Server topologies the extension can start. */
    enum Topology {
        /** One server ({@link NatsServer}). */
        SINGLE,
        /** A JetStream cluster ({@link NatsCluster}). */
        CLUSTER,
        /** A hub and a leaf node in its own JetStream domain ({@link HubAndLeaf}). */
        HUB_AND_LEAF
    }

    /** How long a started topology lives. */
    enum Scope {
        /** Started before each test method, closed after it. */
        PER_METHOD,
        /** Started before the first test of the class, closed after the last. */
        PER_CLASS
    }
}
