package io.natsmigrate.spring;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.nats.client.Connection;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.util.ClassUtils;

import java.util.function.ToDoubleFunction;

/**
 * Registers meters for every {@code ConsumerRunner}, {@code ReliablePublisher} and {@code DeadLetterQueue} bean once
 * all singletons exist (so no bean is created early for its meters), tagged with the bean's name. The runner's are
 * {@code ConsumerRunnerMetrics}; a publisher's count its {@code stats()}; a DLQ's depth is read from its stream.
 */
final class BeanMeters implements SmartInitializingSingleton {

    private static final String RUNNER = "io.natsmigrate.consumer.ConsumerRunner";
    private static final String DLQ = "io.natsmigrate.consumer.DeadLetterQueue";
    private static final String PUBLISHER = "io.natsmigrate.reliable.ReliablePublisher";

    private final ListableBeanFactory beans;
    private final ObjectProvider<MeterRegistry> registry;
    private final ObjectProvider<Connection> connection;

    BeanMeters(ListableBeanFactory beans, ObjectProvider<MeterRegistry> registry, ObjectProvider<Connection> nc) {
        this.beans = beans;
        this.registry = registry;
        this.connection = nc;
    }

    @Override
    public void afterSingletonsInstantiated() {
        MeterRegistry r = registry.getIfUnique();
        if (r == null) {
            return;
        }
        ClassLoader cl = getClass().getClassLoader();
        if (ClassUtils.isPresent(RUNNER, cl)) {
            ConsumerMeters.bind(beans, r, connection);
        }
        if (ClassUtils.isPresent(PUBLISHER, cl)) {
            PublisherMeters.bind(beans, r);
        }
    }

    /** consumer-patterns beans; loaded only when that module is on the classpath. */
    static final class ConsumerMeters {
        static void bind(ListableBeanFactory beans, MeterRegistry r, ObjectProvider<Connection> connection) {
            beans.getBeansOfType(io.natsmigrate.consumer.ConsumerRunner.class).forEach((name, runner) ->
                    new io.natsmigrate.consumer.ConsumerRunnerMetrics(runner, name).bindTo(r));
            Connection nc = connection.getIfUnique();
            if (nc == null || !ClassUtils.isPresent(DLQ, ConsumerMeters.class.getClassLoader())) {
                return;
            }
            beans.getBeansOfType(io.natsmigrate.consumer.DeadLetterQueue.class).forEach((name, dlq) ->
                    Gauge.builder("natsmigrate.dlq.depth", dlq, q -> depth(nc, q.dlqStream()))
                            .tags("dlq", name, "stream", dlq.dlqStream())
                            .description("dead letters stored in the DLQ stream").register(r));
        }

        private static double depth(Connection nc, String stream) {
            try {
                return nc.jetStreamManagement().getStreamInfo(stream).getStreamState().getMsgCount();
            } catch (Exception e) {
                return Double.NaN; // unknown now; a gauge has no other way to say it
            }
        }
    }

    /** reliable-publish beans; loaded only when that module is on the classpath. */
    static final class PublisherMeters {
        static void bind(ListableBeanFactory beans, MeterRegistry r) {
            beans.getBeansOfType(io.natsmigrate.reliable.ReliablePublisher.class).forEach((name, p) -> {
                counter(r, name, p, "published", s -> s.stats().published());
                counter(r, name, p, "acked", s -> s.stats().acked());
                counter(r, name, p, "duplicate", s -> s.stats().duplicates());
                counter(r, name, p, "failed", s -> s.stats().failed());
                FunctionCounter.builder("natsmigrate.publisher.retries", p, s -> s.stats().retries())
                        .tags("publisher", name).description("publish attempts retried").register(r);
                Gauge.builder("natsmigrate.publisher.in.flight", p, s -> s.stats().inFlight())
                        .tags("publisher", name).description("publishes awaiting their ack").register(r);
            });
        }

        private static void counter(MeterRegistry r, String name, io.natsmigrate.reliable.ReliablePublisher p,
                                    String outcome,
                                    ToDoubleFunction<io.natsmigrate.reliable.ReliablePublisher> count) {
            FunctionCounter.builder("natsmigrate.publisher.messages", p, count)
                    .tags("publisher", name, "outcome", outcome)
                    .description("messages by outcome: published, acked, duplicate, failed").register(r);
        }
    }
}
