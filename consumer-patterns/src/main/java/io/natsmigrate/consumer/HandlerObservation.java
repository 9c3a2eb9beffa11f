package io.natsmigrate.consumer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.nats.client.Message;
import io.nats.client.impl.Headers;

import java.util.Objects;

/**
 * Micrometer Observation of each handled message ({@value #NAME}): a timer tagged with stream, consumer and
 * outcome, and, with micrometer-tracing and a bridge, a consumer span that continues the trace the publisher wrote
 * into the headers ({@code PublishObservation} in reliable-publish). Wraps the handler; the runner is unchanged:
 *
 * <pre>{@code
 * ConsumerRunner.builder(nc, "ORDERS", config)
 *         .handler(HandlerObservation.observe(registry, delivery -> Outcome.ack()))
 *         .build();
 * }</pre>
 */
public final class HandlerObservation {

    /** The observation's name (a timer {@code natsmigrate.handle}, a span "SUBJECT process"). */
    public static final String NAME = "natsmigrate.handle";

    private HandlerObservation() {
    }

    /** The receiver context: the trace context is read from the message's headers. */
    public static final class Context extends ReceiverContext<Message> {
        Context(Message message) {
            super((carrier, key) -> {
                Headers h = carrier.getHeaders();
                return h == null ? null : h.getFirst(key);
            });
            setCarrier(message);
            setRemoteServiceName("nats");
        }
    }

    /** {@code handler}, observed in {@code registry}; a thrown exception is recorded as the observation's error. */
    public static MessageHandler observe(ObservationRegistry registry, MessageHandler handler) {
        Objects.requireNonNull(registry, "registry (ObservationRegistry.NOOP for none)");
        Objects.requireNonNull(handler, "handler");
        return delivery -> {
            Message m = delivery.message();
            Observation observation = Observation.createNotStarted(NAME, () -> new Context(m), registry)
                    .contextualName(m.getSubject() + " process")
                    .lowCardinalityKeyValue("messaging.system", "nats")
                    .lowCardinalityKeyValue("messaging.operation", "process")
                    .highCardinalityKeyValue("messaging.destination.name", m.getSubject());
            if (m.isJetStream()) {
                observation.lowCardinalityKeyValue("messaging.nats.stream", m.metaData().getStream())
                        .lowCardinalityKeyValue("messaging.consumer.group.name", m.metaData().getConsumer());
            }
            observation.start();
            try (Observation.Scope ignored = observation.openScope()) {
                Outcome outcome = handler.handle(delivery);
                observation.lowCardinalityKeyValue("outcome", outcome.kind().name().toLowerCase(java.util.Locale.ROOT));
                return outcome;
            } catch (Exception e) {
                observation.lowCardinalityKeyValue("outcome", "error");
                observation.error(e);
                throw e;
            } finally {
                observation.stop();
            }
        };
    }
}
