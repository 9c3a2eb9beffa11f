package io.natsmigrate.core;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.Mirror;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.Source;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.testkit.NatsTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;

import static io.natsmigrate.testkit.NatsAssertions.assertThatStream;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which retention policies can be sourced or mirrored, checked on the real server rather than taken from the
 * cross-system walkthrough (which says interest and work-queue streams cannot). Records what nats-server does;
 * the cross-system recipe builds on it.
 */
@NatsTest
class RetentionSourcingFactsTest {

    @ParameterizedTest
    @EnumSource(RetentionPolicy.class)
    void sourcingAndMirroringByRetention(RetentionPolicy retention, Connection nc, JetStreamManagement jsm)
            throws Exception {
        jsm.addStream(StreamConfiguration.builder().name("ORIGIN").subjects("origin.>").retentionPolicy(retention)
                .build());
        for (int i = 0; i < 5; i++) {
            nc.jetStream().publish("origin.x", new byte[0]);
        }
        boolean sourced = tryCreate(jsm, StreamConfiguration.builder().name("SOURCED")
                .sources(Source.builder().name("ORIGIN").build()).build());
        boolean mirrored = tryCreate(jsm, StreamConfiguration.builder().name("MIRRORED")
                .mirror(Mirror.builder().name("ORIGIN").build()).build());
        System.out.printf("FACT retention=%s sourcing=%s mirroring=%s (nats-server %s)%n", retention,
                sourced ? "allowed" : "refused", mirrored ? "allowed" : "refused", nc.getServerInfo().getVersion());
        // Whatever the server allows must then really copy the messages.
        if (sourced) {
            assertThatStream(jsm, "SOURCED").within(Duration.ofSeconds(10)).hasMessages(
                    retention == RetentionPolicy.Interest ? 0 : 5);
            assertThatStream(jsm, "ORIGIN").within(Duration.ofSeconds(10)).hasMessages(
                    retention == RetentionPolicy.Limits ? 5 : 0);
        }
        if (mirrored) {
            assertThatStream(jsm, "MIRRORED").within(Duration.ofSeconds(10)).hasMessages(
                    retention == RetentionPolicy.Interest ? 0 : 5);
        }
        long originLeft = jsm.getStreamInfo("ORIGIN").getStreamState().getMsgCount();
        System.out.printf("FACT retention=%s origin keeps %d of 5 messages after being sourced and mirrored%n",
                retention, originLeft);
        // What 2.15.1 does (the walkthrough's claim that interest and work-queue streams cannot be sourced does not
        // hold here): every retention can be sourced and mirrored. An interest stream with no consumer keeps
        // nothing to copy; a work-queue origin is consumed by the sourcing, so its own consumers lose the
        // messages: the reason the cross-system recipe clones such streams with limits retention first.
        assertThat(sourced).isTrue();
        assertThat(mirrored).isTrue();
        assertThat(originLeft).isEqualTo(retention == RetentionPolicy.Limits ? 5 : 0);
    }

    private static boolean tryCreate(JetStreamManagement jsm, StreamConfiguration sc) throws Exception {
        try {
            jsm.addStream(sc);
            return true;
        } catch (JetStreamApiException e) {
            System.out.println("FACT refused " + sc.getName() + ": " + e.getApiErrorCode() + " " + e.getErrorDescription());
            return false;
        }
    }
}
