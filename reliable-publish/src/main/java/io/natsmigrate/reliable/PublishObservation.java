package io.natsmigrate.reliable;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.SenderContext;
import io.nats.client.impl.Headers;

import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * Micrometer Observation of a publish ({@value #NAME}): a timer and, with micrometer-tracing and an OpenTelemetry
 * or Brave bridge, a producer span whose context is written into the message's headers ({@code traceparent}, as the
 * bridge's propagator says), so the consumer's {@code HandlerObservation} continues the trace. Optional: needs
 * micrometer-observation (part of micrometer-core) only where it is used.
 *
 * <pre>{@code
 * Headers headers = new Headers();
 * PublishAck ack = PublishObservation.observe(registry, "orders.created", headers,
 *         () -> publisher.publish("orders.created", headers, data, Expectation.none()));
 * }</pre>
 */
public final class PublishObservation {

    /** The observation's name (a timer {@code natsmigrate.publish}, a span "SUBJECT publish"). */
    public static final String NAME = "natsmigrate.publish";

    private PublishObservation() {
    }

    /** The sender context: the trace context is set into the message's {@link Headers}. */
    public static final class Context extends SenderContext<Headers> {
        private final String subject;

        Context(String subject, Headers headers) {
            super((carrier, key, value) -> carrier.put(key, value));
            this.subject = subject;
            setCarrier(headers);
            setRemoteServiceName("nats");
        }

        /** The subject published on. */
        public String subject() {
            return subject;
        }
    }

    /**
     * Runs {@code publish} inside an observation of a publish on {@code subject}; {@code headers} must be the
     * headers the publish sends (the trace context is written into them before {@code publish} runs).
     */
    public static <T> T observe(ObservationRegistry registry, String subject, Headers headers, Callable<T> publish)
            throws Exception {
        Objects.requireNonNull(registry, "registry (ObservationRegistry.NOOP for none)");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(headers, "headers (the ones the publish sends; new Headers() when it has none)");
        Objects.requireNonNull(publish, "publish");
        Context context = new Context(subject, headers);
        Observation observation = Observation.createNotStarted(NAME, () -> context, registry)
                .contextualName(subject + " publish")
                .lowCardinalityKeyValue("messaging.system", "nats")
                .lowCardinalityKeyValue("messaging.operation", "publish")
                .highCardinalityKeyValue("messaging.destination.name", subject)
                .start();
        try (Observation.Scope ignored = observation.openScope()) {
            return publish.call();
        } catch (Exception e) {
            observation.error(e);
            throw e;
        } finally {
            observation.stop();
        }
    }
}
