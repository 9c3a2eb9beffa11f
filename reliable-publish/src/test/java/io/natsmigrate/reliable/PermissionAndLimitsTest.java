package io.natsmigrate.reliable;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.testkit.NatsServer;
import io.natsmigrate.testkit.NatsTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PermissionAndLimitsTest {

    @Test
    void publishingWithoutPermissionFailsTyped() throws Exception {
        try (NatsServer server = NatsServer.builder().extraConfig(
                "authorization {",
                "  users: [ { user: app, password: pw, permissions: {",
                "    publish: { allow: [\"ok.>\", \"$JS.API.>\"] },",
                "    subscribe: { allow: [\"_INBOX.>\"] } } } ]",
                "}").start();
             Connection nc = server.connect("app", "pw")) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name("SEC").subjects("secret.>", "ok.>").build());
            try (ReliablePublisher p = ReliablePublisher.builder(nc).retryPolicy(RetryPolicy.builder()
                    .attemptTimeout(Duration.ofMillis(300)).deadline(Duration.ofSeconds(10)).build()).build()) {
                assertThat(p.publish("ok.a", new byte[0]).getSeqno()).isEqualTo(1);
                assertThatThrownBy(() -> p.publish("secret.a", new byte[0]))
                        .isInstanceOf(PermissionViolationException.class)
                        .hasMessageContaining("secret.a").hasMessageContaining("Permissions Violation");
            }
            assertThat(jsm.getStreamInfo("SEC").getStreamState().getMsgCount()).isEqualTo(1);
        }
    }

    @Test
    @NatsTest
    void tooManyBatchesInFlightIsTyped(Connection nc, JetStreamManagement jsm) throws Exception {
        jsm.addStream(StreamConfiguration.builder().name("B").subjects("b.>").allowAtomicPublish(true).build());
        List<AtomicBatch> open = new ArrayList<>();
        try {
            AtomicBatchException refused = null;
            for (int i = 0; i < 200 && refused == null; i++) {
                AtomicBatch b = AtomicBatch.start(nc);
                open.add(b);
                try {
                    b.add("b.x", new byte[0]);
                } catch (AtomicBatchException e) {
                    refused = e;
                }
            }
            assertThat(refused).as("the server limits batches in flight per stream").isNotNull();
            assertThat(refused.reason()).isEqualTo(AtomicBatchException.Reason.TOO_MANY_IN_FLIGHT);
            assertThat(refused.apiErrorCode()).isEqualTo(10210);
            System.out.println("batches in flight before refusal: " + (open.size() - 1));
        } finally {
            open.forEach(AtomicBatch::discard);
        }
    }
}
