package io.natsmigrate.reliable;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.nats.client.api.PublishAck;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Micrometer meters for a {@link ReliablePublisher} (Micrometer is an optional dependency: add
 * {@code io.micrometer:micrometer-core} to use this class).
 *
 * <pre>{@code
 * ReliablePublisherMetrics metrics = new ReliablePublisherMetrics("orders");
 * metrics.bindTo(registry);
 * ReliablePublisher publisher = ReliablePublisher.builder(nc).listener(metrics).build();
 * }</pre>
 *
 * Meters, all tagged {@code publisher=<name>}: {@code natsmigrate.publish.messages} (tag {@code outcome}:
 * {@code acked}, {@code duplicate}, {@code failed}), {@code natsmigrate.publish.retries} (tag {@code reason}),
 * {@code natsmigrate.publish.sent} (first attempts), {@code natsmigrate.publish.backpressure} (times the window
 * filled up), and the gauges {@code natsmigrate.publish.in.flight} and {@code natsmigrate.publish.waiting} (callers
 * waiting for room), read from the publisher's own counts.
 */
public final class ReliablePublisherMetrics implements PublishListener, MeterBinder {

    private final String name;
    private final AtomicLong inFlight = new AtomicLong();
    private volatile ReliablePublisher publisher;
    private Counter backpressure;
    private Counter sent;
    private Counter acked;
    private Counter duplicates;
    private Counter failed;
    private final Map<FailureReason, Counter> retries = new EnumMap<>(FailureReason.class);

    /** Meters tagged {@code publisher=name}. */
    public ReliablePublisherMetrics(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        sent = Counter.builder("natsmigrate.publish.sent").tag("publisher", name)
                .description("messages sent for the first time").register(registry);
        acked = outcome(registry, "acked");
        duplicates = outcome(registry, "duplicate");
        failed = outcome(registry, "failed");
        for (FailureReason r : FailureReason.values()) {
            retries.put(r, Counter.builder("natsmigrate.publish.retries").tag("publisher", name)
                    .tag("reason", r.name().toLowerCase(java.util.Locale.ROOT)).register(registry));
        }
        backpressure = Counter.builder("natsmigrate.publish.backpressure").tag("publisher", name)
                .description("times the in-flight window filled up and callers had to wait").register(registry);
        Gauge.builder("natsmigrate.publish.in.flight", this, m -> m.publisher != null
                        ? m.publisher.stats().inFlight() : m.inFlight.get()).tag("publisher", name)
                .description("messages sent and not yet acked or failed").register(registry);
        Gauge.builder("natsmigrate.publish.waiting", this, m -> m.publisher != null
                        ? m.publisher.stats().waiting() : 0).tag("publisher", name)
                .description("callers waiting for room in the in-flight window").register(registry);
    }

    private Counter outcome(MeterRegistry registry, String outcome) {
        return Counter.builder("natsmigrate.publish.messages").tag("publisher", name).tag("outcome", outcome)
                .register(registry);
    }

    @Override
    public void attached(ReliablePublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public void backpressureStarted(int inFlightNow, int maxInFlight) {
        increment(backpressure);
    }

    @Override
    public void published(String subject, String msgId, int attempt) {
        if (attempt == 1) {
            inFlight.incrementAndGet();
            increment(sent);
        }
    }

    @Override
    public void acked(String subject, String msgId, PublishAck ack) {
        inFlight.decrementAndGet();
        increment(acked);
    }

    @Override
    public void duplicate(String subject, String msgId, PublishAck ack) {
        inFlight.decrementAndGet();
        increment(duplicates);
    }

    @Override
    public void retried(String subject, String msgId, int failedAttempt, FailureReason reason, Duration delay) {
        increment(retries.get(reason));
    }

    @Override
    public void failed(String subject, String msgId, ReliablePublishException failure) {
        if (failure.attempts() > 0) {
            inFlight.decrementAndGet();
        }
        increment(failed);
    }

    private static void increment(Counter c) {
        if (c != null) { // events before bindTo are not counted
            c.increment();
        }
    }
}
