package io.natsmigrate.dualpublish;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.natsmigrate.core.Gate;
import io.natsmigrate.testkit.NatsServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.natsmigrate.testkit.NatsAssertions.assertThatConsumer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParityVerifierTest {

    private static void legacy(Connection nc, String id, String data, String headerValue) {
        Headers h = new Headers().put("Nats-Msg-Id", id);
        if (headerValue != null) {
            h.put("X-Tenant", headerValue);
        }
        nc.publish(NatsMessage.builder().subject("legacy.orders").headers(h).data(data).build());
    }

    private static void stored(JetStream js, String id, String data, String headerValue) throws Exception {
        Headers h = new Headers().put("Nats-Msg-Id", id);
        if (headerValue != null) {
            h.put("X-Tenant", headerValue);
        }
        js.publish(NatsMessage.builder().subject("orders.created").headers(h).data(data).build());
    }

    @Test
    void classifiesEachCraftedDivergence() throws Exception {
        try (NatsServer oldSystem = NatsServer.start(); NatsServer newSystem = NatsServer.start();
             Connection legacyNc = oldSystem.connect(); Connection jsNc = newSystem.connect()) {
            jsNc.jetStreamManagement().addStream(StreamConfiguration.builder().name("ORDERS").subjects("orders.>").build());
            JetStream js = jsNc.jetStream();
            try (ParityVerifier v = ParityVerifier.builder().legacy(legacyNc, "legacy.>").jetStream(jsNc, "ORDERS")
                    .window(Duration.ofMillis(300)).build()) {
                for (int i = 0; i < 5; i++) {                 // five clean matches
                    legacy(legacyNc, "ok-" + i, "p", "t1");
                    stored(js, "ok-" + i, "p", "t1");
                }
                legacy(legacyNc, "dropped", "p", null);       // never reaches JetStream
                legacy(legacyNc, "dup", "p", null);           // twice on the legacy path
                legacy(legacyNc, "dup", "p", null);
                stored(js, "dup", "p", null);
                legacy(legacyNc, "first", "p", null);          // C then D on legacy ...
                legacy(legacyNc, "second", "p", null);
                legacyNc.flush(Duration.ofSeconds(2));
                stored(js, "second", "p", null);              // ... D then C in JetStream
                stored(js, "first", "p", null);
                legacy(legacyNc, "hdr", "p", "t1");             // header changed on the way
                stored(js, "hdr", "p", "t2");
                legacy(legacyNc, "body", "old", null);          // payload changed
                stored(js, "body", "new", null);
                stored(js, "extra", "p", null);                // only in JetStream
                legacyNc.flush(Duration.ofSeconds(2));

                Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                        .until(() -> v.report().pending() == 0 && v.report().matched() == 10);
                ParityReport r = v.report();
                assertThat(r.missingInJetStream()).isEqualTo(1);
                assertThat(r.missingInLegacy()).isEqualTo(1);
                assertThat(r.duplicatesLegacy()).isEqualTo(1);
                assertThat(r.duplicatesJetStream()).isZero();
                assertThat(r.orderInversions()).isEqualTo(1);
                assertThat(r.headerDiffs()).isEqualTo(1);
                assertThat(r.payloadDiffs()).isEqualTo(1);
                assertThat(r.samples()).anyMatch(s -> s.startsWith("missing-in-jetstream: dropped"))
                        .anyMatch(s -> s.startsWith("order-inversion"))
                        .anyMatch(s -> s.startsWith("header-diff: hdr"));
                assertThat(r.isClean()).isFalse();
                assertThat(r.toText()).contains("missing in JetStream 1");
                assertThat(r.toJson()).contains("\"missingInJetStream\" : 1");
                assertThat(r.latencyDeltaP99Millis()).isGreaterThanOrEqualTo(r.latencyDeltaP50Millis());
            }
        }
    }

    /**
     * A copy that arrives after its window closed is late, not lost and not a duplicate: the earlier "missing"
     * becomes a late match (the cause of an occasional "missing in JetStream 1" in the core-to-jetstream sample).
     */
    @Test
    void aCopyArrivingAfterTheWindowIsLateNotMissing() throws Exception {
        try (NatsServer oldSystem = NatsServer.start(); NatsServer newSystem = NatsServer.start();
             Connection legacyNc = oldSystem.connect(); Connection jsNc = newSystem.connect()) {
            jsNc.jetStreamManagement().addStream(StreamConfiguration.builder().name("ORDERS").subjects("orders.>")
                    .duplicateWindow(Duration.ofMillis(100)).build());
            JetStream js = jsNc.jetStream();
            try (ParityVerifier v = ParityVerifier.builder().legacy(legacyNc, "legacy.>").jetStream(jsNc, "ORDERS")
                    .window(Duration.ofMillis(200)).build()) {
                legacy(legacyNc, "slow", "p", null);
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> v.report().missingInJetStream() == 1);
                stored(js, "slow", "p", null);
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> v.report().late() == 1);
                ParityReport r = v.report();
                assertThat(r.matched()).isEqualTo(1);
                assertThat(r.missingInJetStream()).isZero();
                assertThat(r.duplicatesJetStream()).isZero();
                assertThat(r.parity()).isEqualTo(1.0);
                assertThat(r.toText()).contains("matched 1 (late 1)");
                assertThat(r.samples()).anyMatch(x -> x.startsWith("late-jetstream: slow"));

                // A further copy after that is a duplicate (the stream's 100 ms dedup window has passed too).
                Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                        .until(() -> {
                            stored(js, "slow", "p", null);
                            return v.report().duplicatesJetStream() > 0;
                        });
                assertThat(v.report().late()).isEqualTo(1);
            }
        }
    }

    @Test
    void dualPublishedTrafficIsCleanAndPassesTheGateWithoutTouchingRealConsumers() throws Exception {
        try (NatsServer oldSystem = NatsServer.start(); NatsServer newSystem = NatsServer.start();
             Connection legacyNc = oldSystem.connect(); Connection jsNc = newSystem.connect()) {
            var jsm = jsNc.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name("EVENTS").subjects("events.>").build());
            jsm.addOrUpdateConsumer("EVENTS", io.nats.client.api.ConsumerConfiguration.builder().durable("app").build());
            try (ParityVerifier v = ParityVerifier.builder().legacy(legacyNc, "events.>").jetStream(jsNc, "EVENTS")
                    .window(Duration.ofMillis(500)).build();
                 DualPublisher p = DualPublisher.builder().legacy(LegacyLeg.nats(legacyNc)).jetStream(jsNc, "EVENTS")
                         .mode(PublishMode.DUAL).build()) {
                Gate gate = v.gate(1.0, 200, Duration.ofSeconds(10));
                assertThat(gate.evaluate(jsNc).passed()).isFalse();
                for (int i = 0; i < 200; i++) {
                    p.publish("events.run", ("m" + i).getBytes());
                }
                p.flush(Duration.ofSeconds(10));
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> gate.evaluate(jsNc).passed());
                ParityReport r = v.report();
                assertThat(r.isClean()).as(r.toText()).isTrue();
                assertThat(r.parity()).isEqualTo(1.0);
            }
            // the verifier read without acks: the real consumer still has everything pending
            assertThatConsumer(jsm, "EVENTS", "app").hasNumPending(200).hasNumAckPending(0);
        }
    }

    @Test
    void badConfigurationIsRefused() throws Exception {
        try (NatsServer s = NatsServer.start(); Connection nc = s.connect()) {
            assertThatThrownBy(() -> ParityVerifier.builder().legacy(nc, "a").build())
                    .isInstanceOf(DualPublishException.class).hasMessageContaining("jetStream");
            assertThatThrownBy(() -> ParityVerifier.builder().jetStream(nc, "MISSING").build())
                    .isInstanceOf(StreamNotCoveringSubjectException.class);
            assertThatThrownBy(() -> ParityVerifier.builder().window(Duration.ZERO)).hasMessageContaining("positive");
            assertThatThrownBy(() -> ParityVerifier.builder().legacy(nc, "a..b")).isInstanceOf(
                    io.natsmigrate.primitives.InvalidSubjectException.class);
        }
    }
}
