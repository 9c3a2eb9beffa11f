package io.natsmigrate.testkit;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.api.External;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.Source;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.natsmigrate.testkit.NatsAssertions.assertThatStream;
import static org.assertj.core.api.Assertions.assertThat;

class HubAndLeafTest {

    @Test
    void hubStreamSourcesFromLeafStreamThroughTheLeafDomain() throws Exception {
        try (HubAndLeaf topo = HubAndLeaf.builder().leafDomain("leaf").start();
             Connection leafNc = topo.leaf().connect();
             Connection hubNc = topo.hub().connect()) {
            assertThat(topo.leafApiPrefix()).isEqualTo("$JS.leaf.API");

            JetStreamManagement leafJsm = leafNc.jetStreamManagement();
            leafJsm.addStream(StreamConfiguration.builder().name("QUEUE").subjects("QUEUE.>")
                    .retentionPolicy(RetentionPolicy.Limits).build());
            for (int i = 0; i < 20; i++) {
                leafNc.jetStream().publish("QUEUE.orders", ("o" + i).getBytes());
            }

            // As in the walkthrough: the target stream sources through the external API prefix.
            Source source = Source.builder().name("QUEUE")
                    .external(External.builder().api(topo.leafApiPrefix()).build()).build();
            JetStreamManagement hubJsm = hubNc.jetStreamManagement();
            hubJsm.addStream(StreamConfiguration.builder().name("QUEUE_target").sources(source).build());
            assertThatStream(hubJsm, "QUEUE_target").within(Duration.ofSeconds(10)).hasMessages(20);

            // The leaf's JetStream is also reachable from the hub by domain.
            JetStreamManagement viaDomain = hubNc.jetStreamManagement(JetStreamOptions.builder().domain("leaf").build());
            assertThatStream(viaDomain, "QUEUE").hasMessages(20);
        }
    }

    @Test
    void leafReconnectsAfterHubRestart() throws Exception {
        try (HubAndLeaf topo = HubAndLeaf.builder().start()) {
            topo.hub().kill();
            topo.hub().restart();
            topo.awaitLeafConnected();
            try (Connection hubNc = topo.hub().connect()) {
                assertThat(hubNc.request("$JS.leaf.API.INFO", new byte[0], Duration.ofSeconds(2))).isNotNull();
            }
        }
    }

    @Test
    void sameDomainOnBothSidesIsRejected() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> HubAndLeaf.builder().hubDomain("x").leafDomain("x").start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("different domains");
    }
}
