package io.natsmigrate.consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.Objects;

/**
 * Micrometer counters for a {@link DeadLetterQueue} (optional dependency {@code io.micrometer:micrometer-core}):
 * {@code natsmigrate.dlq.events{event=written|original_missing|redriven|processing_failed}}, tagged {@code dlq}.
 * Register it as a listener and bind it to a registry.
 */
public final class DeadLetterMetrics implements DeadLetterListener, MeterBinder {

    private final String dlq;
    private Counter written;
    private Counter missing;
    private Counter redriven;
    private Counter failed;

    public DeadLetterMetrics(String dlq) {
        this.dlq = Objects.requireNonNull(dlq, "dlq");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        written = counter(registry, "written");
        missing = counter(registry, "original_missing");
        redriven = counter(registry, "redriven");
        failed = counter(registry, "processing_failed");
    }

    private Counter counter(MeterRegistry registry, String event) {
        return Counter.builder("natsmigrate.dlq.events").tag("dlq", dlq).tag("event", event).register(registry);
    }

    @Override
    public void written(DeadLetter deadLetter) {
        increment(written);
    }

    @Override
    public void originalMissing(String stream, long sequence) {
        increment(missing);
    }

    @Override
    public void redriven(DeadLetter deadLetter) {
        increment(redriven);
    }

    @Override
    public void processingFailed(String advisorySubject, Exception cause) {
        increment(failed);
    }

    private static void increment(Counter c) {
        if (c != null) { // events before bindTo are not counted
            c.increment();
        }
    }
}
