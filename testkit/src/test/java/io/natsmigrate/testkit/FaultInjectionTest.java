package io.natsmigrate.testkit;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.natsmigrate.testkit.NatsAssertions.assertThatStream;
import static org.assertj.core.api.Assertions.assertThat;

class FaultInjectionTest {

    @Test
    void restartKeepsPortAndData() throws Exception {
        try (NatsServer server = NatsServer.start()) {
            int port = server.port();
            try (Connection nc = server.connect()) {
                nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("R").subjects("r").build());
                for (int i = 0; i < 10; i++) {
                    nc.jetStream().publish("r", new byte[]{(byte) i});
                }
            }
            long pidBefore = server.pid();
            server.restart();
            assertThat(server.port()).isEqualTo(port);
            assertThat(server.pid()).isNotEqualTo(pidBefore);
            try (Connection nc = server.connect()) {
                assertThatStream(nc, "R").hasMessages(10);
            }
        }
    }

    @Test
    void messagesAckedUnderSyncAlwaysSurviveSigkill() throws Exception {
        try (NatsServer server = NatsServer.builder().syncInterval("always").start()) {
            try (Connection nc = server.connect()) {
                nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("D").subjects("d")
                        .storageType(StorageType.File).build());
                JetStream js = nc.jetStream();
                for (int i = 0; i < 200; i++) {
                    assertThat(js.publish("d", ("m" + i).getBytes()).getSeqno()).isEqualTo(i + 1);
                }
            }
            server.kill();
            assertThat(server.isRunning()).isFalse();
            server.restart();
            try (Connection nc = server.connect()) {
                JetStreamManagement jsm = nc.jetStreamManagement();
                assertThatStream(jsm, "D").hasMessages(200).hasLastSequence(200);
                assertThat(new String(jsm.getMessage("D", 200).getData())).isEqualTo("m199");
            }
        }
    }

    @Test
    void clientReconnectsAfterRestartOnTheSamePort() throws Exception {
        try (NatsServer server = NatsServer.start(); Connection nc = server.connect()) {
            server.kill();
            server.restart();
            // The client was built with reconnect-forever options; it must come back on the pinned port.
            assertThat(nc.request("$JS.API.INFO", new byte[0], Duration.ofSeconds(10))).isNotNull();
            assertThat(nc.getStatus()).isEqualTo(Connection.Status.CONNECTED);
        }
    }

    @Test
    void pausedServerAnswersNothingUntilResumed() throws Exception {
        try (NatsServer server = NatsServer.start(); Connection nc = server.connect()) {
            assertThat(answers(nc, Duration.ofSeconds(2))).isTrue();
            server.pause();
            assertThat(server.isRunning()).isTrue();
            assertThat(answers(nc, Duration.ofMillis(300))).isFalse();
            server.resume();
            assertThat(answers(nc, Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void pausedServerCanBeClosed() {
        NatsServer server = NatsServer.start();
        server.pause();
        server.close();
        assertThat(server.isRunning()).isFalse();
    }

    private static boolean answers(Connection nc, Duration timeout) throws InterruptedException {
        Message reply = nc.request("$JS.API.INFO", new byte[0], timeout);
        return reply != null && !reply.isStatusMessage();
    }
}
