package io.natsmigrate.consumer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer meters read from a {@link ConsumerRunner}'s own counts (optional dependency
 * {@code io.micrometer:micrometer-core}); nothing is added to the handling path.
 *
 * <pre>{@code
 * new ConsumerRunnerMetrics(runner, "orders-worker").bindTo(registry);
 * }</pre>
 *
 * Meters, all tagged {@code runner=<name>}, {@code stream} and {@code consumer}: {@code natsmigrate.consumer.messages}
 * (tag {@code outcome}: {@code acked}, {@code naked}, {@code termed}, {@code skipped}),
 * {@code natsmigrate.consumer.handler.failures}, {@code natsmigrate.consumer.redeliveries},
 * {@code natsmigrate.consumer.handler} (a function timer: handler calls and their total time) and the gauge
 * {@code natsmigrate.consumer.in.progress}.
 */
public final class ConsumerRunnerMetrics implements MeterBinder {

    private final ConsumerRunner runner;
    private final String name;

    /** Meters for {@code runner}, tagged {@code runner=name}. */
    public ConsumerRunnerMetrics(ConsumerRunner runner, String name) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.name = Objects.requireNonNull(name, "name");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        outcome(registry, "acked", s -> s.stats().acked());
        outcome(registry, "naked", s -> s.stats().naked());
        outcome(registry, "termed", s -> s.stats().termed());
        outcome(registry, "skipped", s -> s.stats().skippedAsSeen());
        counter(registry, "natsmigrate.consumer.handler.failures", "handler exceptions (each a nak)",
                s -> s.stats().handlerFailures());
        counter(registry, "natsmigrate.consumer.redeliveries", "deliveries the server had made before",
                s -> s.stats().redelivered());
        FunctionTimer.builder("natsmigrate.consumer.handler", runner, r -> r.stats().handled(),
                        r -> r.stats().handlerNanos(), TimeUnit.NANOSECONDS)
                .tags("runner", name, "stream", runner.stream(), "consumer", runner.consumer())
                .description("handler calls and the time spent in them").register(registry);
        Gauge.builder("natsmigrate.consumer.in.progress", runner, r -> r.stats().inProgress())
                .tags("runner", name, "stream", runner.stream(), "consumer", runner.consumer())
                .description("messages being handled now").register(registry);
    }

    private void outcome(MeterRegistry registry, String outcome, ToDoubleFunction<ConsumerRunner> count) {
        FunctionCounter.builder("natsmigrate.consumer.messages", runner, count)
                .tags("runner", name, "stream", runner.stream(), "consumer", runner.consumer(), "outcome", outcome)
                .description("messages settled, by outcome").register(registry);
    }

    private void counter(MeterRegistry registry, String meter, String description,
                         ToDoubleFunction<ConsumerRunner> count) {
        FunctionCounter.builder(meter, runner, count)
                .tags("runner", name, "stream", runner.stream(), "consumer", runner.consumer())
                .description(description).register(registry);
    }
}
