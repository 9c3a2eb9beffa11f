package io.natsmigrate.core;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.natsmigrate.testkit.NatsTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static io.natsmigrate.testkit.NatsAssertions.assertThatStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Msg-Id only deduplicates inside the stream's duplicate window: a retry that arrives after the window is
 * stored again. Why a retry deadline must be shorter than the window (ReliablePublisher refuses otherwise).
 */
@NatsTest
class DuplicateWindowFactsTest {

    @Test
    void aRetryAfterTheDuplicateWindowIsStoredAgain(Connection nc, JetStreamManagement jsm) throws Exception {
        jsm.addStream(StreamConfiguration.builder().name("W").subjects("w").duplicateWindow(Duration.ofSeconds(1))
                .build());
        NatsMessage msg = NatsMessage.builder().subject("w").headers(new Headers().add("Nats-Msg-Id", "order-1"))
                .data(new byte[]{1}).build();
        assertThat(nc.jetStream().publish(msg).isDuplicate()).isFalse();
        assertThat(nc.jetStream().publish(msg).isDuplicate()).isTrue();   // inside the window: one copy
        AtomicReference<PublishAck> retry = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            retry.set(nc.jetStream().publish(msg));
            return !retry.get().isDuplicate();
        });
        assertThatStream(jsm, "W").hasMessages(2);                        // after it: a second copy
    }
}
