package io.natsmigrate.testkit;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.platform.commons.support.AnnotationSupport;

import java.io.IOException;
import java.lang.reflect.AnnotatedElement;
import java.util.Optional;
import java.util.Set;

/**
 * The JUnit 5 extension behind {@link NatsTest}. Topologies live in the JUnit store of the class or method
 * they belong to; JUnit closes them (servers stopped, temporary stores deleted) when that scope ends, whether
 * the tests passed or not.
 */
public final class NatsServerExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver,
        TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(NatsServerExtension.class);
    private static final String TOPOLOGY = "topology";
    private static final String CONNECTION = "connection";
    private static final int LOG_LINES_ON_FAILURE = 80;
    private static final Set<Class<?>> SUPPORTED = Set.of(NatsServer.class, NatsCluster.class, HubAndLeaf.class,
            Connection.class, JetStreamManagement.class, JetStream.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        classAnnotation(context).filter(a -> a.scope() == NatsTest.Scope.PER_CLASS)
                .ifPresent(a -> context.getStore(NS).put(TOPOLOGY, StartedTopology.start(a)));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Optional<NatsTest> onMethod = context.getTestMethod()
                .flatMap(m -> AnnotationSupport.findAnnotation(m, NatsTest.class));
        Optional<NatsTest> effective = onMethod.isPresent() ? onMethod
                : classAnnotation(context).filter(a -> a.scope() == NatsTest.Scope.PER_METHOD);
        effective.ifPresent(a -> context.getStore(NS).put(TOPOLOGY, StartedTopology.start(a)));
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return SUPPORTED.contains(parameterContext.getParameter().getType());
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
        Class<?> type = parameterContext.getParameter().getType();
        StartedTopology topology = topology(context).orElseThrow(() -> new ParameterResolutionException(
                "No nats-server topology is running for " + context.getDisplayName() + ": a @NatsTest(scope ="
                        + " PER_CLASS) topology is needed to inject into @BeforeAll methods or constructors"));
        if (type == NatsServer.class) {
            return topology.server();
        }
        if (type == NatsCluster.class) {
            return topology.as(NatsCluster.class).orElseThrow(() -> wrongTopology(type, topology));
        }
        if (type == HubAndLeaf.class) {
            return topology.as(HubAndLeaf.class).orElseThrow(() -> wrongTopology(type, topology));
        }
        Connection nc = context.getStore(NS).getOrComputeIfAbsent(CONNECTION,
                k -> new StoredConnection(topology.connect()), StoredConnection.class).connection();
        try {
            return type == Connection.class ? nc : type == JetStream.class ? nc.jetStream() : nc.jetStreamManagement();
        } catch (IOException e) {
            throw new ParameterResolutionException("Could not create " + type.getSimpleName() + ": " + e, e);
        }
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw withServerLog(context, throwable);
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        throw withServerLog(context, throwable);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        throw withServerLog(context, throwable);
    }

    @Override
    public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        throw withServerLog(context, throwable);
    }

    @Override
    public void handleAfterAllMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        throw withServerLog(context, throwable);
    }

    /** Attaches the servers' log tails to a failure, where the test report shows them. */
    private static Throwable withServerLog(ExtensionContext context, Throwable throwable) {
        topology(context).ifPresent(t -> {
            String logs = t.logTails(LOG_LINES_ON_FAILURE);
            throwable.addSuppressed(new ServerLogAttachment(logs));
            context.publishReportEntry("nats-server log", logs);
        });
        return throwable;
    }

    private static Optional<StartedTopology> topology(ExtensionContext context) {
        return Optional.ofNullable(context.getStore(NS).get(TOPOLOGY, StartedTopology.class));
    }

    private static Optional<NatsTest> classAnnotation(ExtensionContext context) {
        Optional<ExtensionContext> c = Optional.of(context);
        while (c.isPresent()) {
            Optional<AnnotatedElement> element = c.get().getElement();
            if (element.isPresent() && element.get() instanceof Class<?> cls) {
                Optional<NatsTest> a = AnnotationSupport.findAnnotation(cls, NatsTest.class);
                if (a.isPresent()) {
                    return a;
                }
            }
            c = c.get().getParent();
        }
        return Optional.empty();
    }

    private static ParameterResolutionException wrongTopology(Class<?> type, StartedTopology t) {
        return new ParameterResolutionException("Cannot inject " + type.getSimpleName() + " into a "
                + t.kind() + " test: set @NatsTest(topology = ...) to the topology that provides it");
    }

    /** A failing test's server log, shown under the failure as a suppressed exception. */
    static final class ServerLogAttachment extends Exception {
        ServerLogAttachment(String logs) {
            super("nats-server log at the time of the failure:\n" + logs, null, false, false);
        }
    }

    /** A connection closed by JUnit with the store it lives in. */
    private record StoredConnection(Connection connection) implements AutoCloseable {
        @Override
        public void close() throws InterruptedException {
            connection.close();
        }
    }
}
