package io.natsmigrate.primitives;

import io.nats.client.Connection;
import io.natsmigrate.testkit.NatsServer;
import io.natsmigrate.testkit.NatsServerBinary;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link ServerFeature} against live servers. It lives in core's tests because the primitives module cannot use
 * the testkit: the testkit validates its own names with {@link NameRules}, so it depends on primitives.
 */
class ServerFeatureLiveTest {

    @Test
    void serverFeaturesAreCheckedAgainstTheLiveServer() throws Exception {
        try (NatsServer current = NatsServer.start(); Connection nc = current.connect()) {
            assertThat(ServerFeature.ATOMIC_BATCH.isSupportedBy(nc)).isTrue();
            ServerFeature.CONSUMER_PAUSE.requireSupportedBy(nc);
        }
        try (NatsServer old = NatsServer.builder().binary(NatsServerBinary.legacy()).start();
             Connection nc = old.connect()) {
            assertThat(ServerFeature.CONSUMER_PAUSE.isSupportedBy(nc)).isFalse();
            assertThatThrownBy(() -> ServerFeature.CONSUMER_PAUSE.requireSupportedBy(nc))
                    .isInstanceOf(ServerTooOldException.class)
                    .hasMessageContaining("2.11.0").hasMessageContaining("2.9.10").hasMessageContaining("Upgrade");
        }
    }
}
