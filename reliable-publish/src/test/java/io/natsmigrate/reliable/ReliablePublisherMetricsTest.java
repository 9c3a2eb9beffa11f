package io.natsmigrate.reliable;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.natsmigrate.testkit.NatsTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@NatsTest
class ReliablePublisherMetricsTest {

    @Test
    void countsOutcomes(Connection nc, JetStreamManagement jsm) throws Exception {
        jsm.addStream(StreamConfiguration.builder().name("M").subjects("m.>").build());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ReliablePublisherMetrics metrics = new ReliablePublisherMetrics("orders");
        metrics.bindTo(registry);
        try (ReliablePublisher p = ReliablePublisher.builder(nc).listener(metrics).build()) {
            p.publish("m.a", new byte[0]);
            Headers h = new Headers().put("Nats-Msg-Id", "same");
            p.publish("m.b", h, new byte[0], Expectation.none());
            p.publish("m.b", h, new byte[0], Expectation.none());
            assertThatThrownBy(() -> p.publish("m.c", new byte[0], Expectation.lastSequence(99)))
                    .isInstanceOf(ExpectationFailedException.class);
            assertThatThrownBy(() -> p.publish("x.none", new byte[0])).isInstanceOf(NoStreamForSubjectException.class);
        }
        assertThat(registry.get("natsmigrate.publish.messages").tag("outcome", "acked").counter().count()).isEqualTo(2);
        assertThat(registry.get("natsmigrate.publish.messages").tag("outcome", "duplicate").counter().count()).isEqualTo(1);
        assertThat(registry.get("natsmigrate.publish.messages").tag("outcome", "failed").counter().count()).isEqualTo(2);
        assertThat(registry.get("natsmigrate.publish.sent").counter().count()).isEqualTo(4);
        assertThat(registry.get("natsmigrate.publish.in.flight").gauge().value()).isZero();
    }
}
