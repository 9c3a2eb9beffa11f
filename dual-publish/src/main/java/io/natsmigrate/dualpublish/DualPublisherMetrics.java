package io.natsmigrate.dualpublish;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.nats.client.api.PublishAck;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Micrometer meters for a {@link DualPublisher} (optional dependency {@code io.micrometer:micrometer-core}).
 * Register it as a listener and bind it: {@code natsmigrate.dual.jetstream{outcome=stored|undelivered|overflow}}
 * and the gauge {@code natsmigrate.dual.mode} (0 legacy only, 1 dual, 2 JetStream only), tagged {@code stream}.
 */
public final class DualPublisherMetrics implements DualPublishListener, MeterBinder {

    private final String stream;
    private final AtomicInteger mode = new AtomicInteger();
    private Counter stored;
    private Counter undelivered;
    private Counter overflow;

    public DualPublisherMetrics(String stream, PublishMode initialMode) {
        this.stream = Objects.requireNonNull(stream, "stream");
        this.mode.set(initialMode.ordinal());
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        stored = counter(registry, "stored");
        undelivered = counter(registry, "undelivered");
        overflow = counter(registry, "overflow");
        Gauge.builder("natsmigrate.dual.mode", mode, AtomicInteger::get).tag("stream", stream)
                .description("0 legacy only, 1 dual, 2 JetStream only").register(registry);
    }

    private Counter counter(MeterRegistry registry, String outcome) {
        return Counter.builder("natsmigrate.dual.jetstream").tag("stream", stream).tag("outcome", outcome)
                .register(registry);
    }

    @Override
    public void modeChanged(PublishMode from, PublishMode to, String reason) {
        mode.set(to.ordinal());
    }

    @Override
    public void jetStreamStored(String subject, String msgId, PublishAck ack) {
        if (stored != null) {
            stored.increment();
        }
    }

    @Override
    public void jetStreamUndelivered(UndeliveredMessage message) {
        if (undelivered != null) {
            undelivered.increment();
        }
    }

    @Override
    public void undeliveredOverflow(UndeliveredMessage message) {
        if (overflow != null) {
            overflow.increment();
        }
    }
}
