package io.natsmigrate.dualpublish;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.testkit.NatsTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

@NatsTest
class DualPublisherMetricsTest {

    @Test
    void countsStoredMessagesAndShowsTheMode(Connection nc, JetStreamManagement jsm) throws Exception {
        jsm.addStream(StreamConfiguration.builder().name("JS").subjects("js.>").build());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        DualPublisherMetrics metrics = new DualPublisherMetrics("JS", PublishMode.LEGACY_ONLY);
        metrics.bindTo(registry);
        try (DualPublisher p = DualPublisher.builder().legacy(LegacyLeg.nats(nc)).jetStream(nc, "JS")
                .subjectMapping(s -> "js." + s).listener(metrics).build()) {
            assertThat(registry.get("natsmigrate.dual.mode").gauge().value()).isZero();
            p.setMode(PublishMode.DUAL);
            for (int i = 0; i < 5; i++) {
                p.publish("legacy", new byte[0]);
            }
            assertThat(p.flush(Duration.ofSeconds(5))).isTrue();
        }
        assertThat(registry.get("natsmigrate.dual.mode").gauge().value()).isEqualTo(1);
        assertThat(registry.get("natsmigrate.dual.jetstream").tag("outcome", "stored").counter().count()).isEqualTo(5);
        assertThat(registry.get("natsmigrate.dual.jetstream").tag("outcome", "undelivered").counter().count()).isZero();
    }
}
