package io.natsmigrate.consumer;

import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.natsmigrate.reliable.Expectation;
import io.natsmigrate.reliable.PublishObservation;
import io.natsmigrate.reliable.ReliablePublisher;
import io.natsmigrate.testkit.NatsTest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Publish and handle observations on a real server: the trace context a tracing bridge writes into the publish's
 * headers reaches the handler's observation through JetStream, and the observations' timers count both sides.
 * A stand-in propagation handler does what micrometer-tracing's propagating handlers do (write and read a header).
 */
@NatsTest
class TracePropagationTest {

    /** Writes a new trace id into each sent message's headers and reads it back on the receiving side. */
    static final class StandInPropagation implements ObservationHandler<Observation.Context> {
        final AtomicInteger ids = new AtomicInteger();
        final Map<String, String> sentTraceBySubject = new ConcurrentHashMap<>();
        final Map<String, String> receivedTraceByBody = new ConcurrentHashMap<>();

        @Override
        public void onStart(Observation.Context context) {
            if (context instanceof SenderContext<?> s) {
                @SuppressWarnings("unchecked")
                SenderContext<Object> sender = (SenderContext<Object>) s;
                String id = "trace-" + ids.incrementAndGet();
                sender.getSetter().set(sender.getCarrier(), "traceparent", id);
                sentTraceBySubject.put(((PublishObservation.Context) s).subject(), id);
            } else if (context instanceof ReceiverContext<?> r) {
                @SuppressWarnings("unchecked")
                ReceiverContext<Object> receiver = (ReceiverContext<Object>) r;
                io.nats.client.Message m = (io.nats.client.Message) receiver.getCarrier();
                receivedTraceByBody.put(m.getSubject(), String.valueOf(receiver.getGetter().get(m, "traceparent")));
            }
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return true;
        }
    }

    @Test
    void theTraceContextOfEachPublishReachesItsHandlerAndBothSidesAreTimed(Connection nc, JetStreamManagement jsm)
            throws Exception {
        jsm.addStream(StreamConfiguration.builder().name("TRACED").subjects("traced.>").build());
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        StandInPropagation propagation = new StandInPropagation();
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(propagation)
                .observationHandler(new DefaultMeterObservationHandler(meters));
        int n = 20;
        try (ReliablePublisher publisher = ReliablePublisher.builder(nc).stream("TRACED").build()) {
            for (int i = 0; i < n; i++) {
                String subject = "traced.order-" + i;
                Headers headers = new Headers();
                byte[] body = ("order " + i).getBytes(StandardCharsets.UTF_8);
                PublishObservation.observe(registry, subject, headers,
                        () -> publisher.publish(subject, headers, body, Expectation.none()));
            }
        }
        Set<String> failedOnce = ConcurrentHashMap.newKeySet();
        try (ConsumerRunner runner = ConsumerRunner.builder(nc, "TRACED", ConsumerConfiguration.builder()
                .durable("traced").ackPolicy(AckPolicy.Explicit).build())
                .handler(HandlerObservation.observe(registry, d -> {
                    if (d.message().getSubject().equals("traced.order-7") && failedOnce.add("7")) {
                        throw new IllegalStateException("flaky once");
                    }
                    return Outcome.ack();
                })).build()) {
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> runner.stats().acked() == n);
        }
        assertThat(propagation.sentTraceBySubject).hasSize(n);
        assertThat(propagation.receivedTraceByBody).isEqualTo(propagation.sentTraceBySubject);
        assertThat(meters.get(PublishObservation.NAME).tag("messaging.system", "nats").timer().count())
                .isEqualTo(n);
        assertThat(meters.get(HandlerObservation.NAME).tag("outcome", "ack")
                .tag("messaging.nats.stream", "TRACED").timer().count()).isEqualTo(n);
        assertThat(meters.get(HandlerObservation.NAME).tag("outcome", "error").timer().count()).isEqualTo(1);
    }

    @Test
    void missingArgumentsAreNamedWithTheFix() {
        assertThatThrownBy(() -> PublishObservation.observe(null, "s", new Headers(), () -> null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("ObservationRegistry.NOOP");
        assertThatThrownBy(() -> PublishObservation.observe(ObservationRegistry.NOOP, "s", null, () -> null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("new Headers()");
        assertThatThrownBy(() -> HandlerObservation.observe(ObservationRegistry.NOOP, null))
                .isInstanceOf(NullPointerException.class).hasMessage("handler");
    }
}
