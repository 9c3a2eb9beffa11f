package io.natsmigrate.testkit;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Servers with TLS (certificates generated in the test) and users that authenticate with nkeys. */
class TlsAndNkeyTest {

    @Test
    void aTlsServerTakesClientsThatTrustTheTestCaAndRefusesPlainOnes() throws Exception {
        try (TestCertificates certs = TestCertificates.generate();
             NatsServer server = NatsServer.builder().tls(certs).start();
             Connection nc = server.connect()) {
            assertThat(server.url()).startsWith("tls://127.0.0.1:");
            assertThat(server.configText()).contains("cert_file").contains("key_file");
            nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("S").subjects("s").build());
            nc.jetStream().publish("s", new byte[]{1});
            assertThat(nc.getServerInfo().isTLSRequired()).isTrue();

            Options plain = Options.builder().server("nats://127.0.0.1:" + server.port()).maxReconnects(0)
                    .connectionTimeout(Duration.ofSeconds(2)).build();
            assertThatThrownBy(() -> Nats.connect(plain)).isInstanceOf(Exception.class);
        }
    }

    @Test
    void anNkeyUserConnectsWithItsSeedAndNotWithAnotherOne() throws Exception {
        NkeyUser user = NkeyUser.create();
        NkeyUser stranger = NkeyUser.create();
        try (NatsServer server = NatsServer.builder().account(Account.builder("APP").nkeyUser(user)
                .jetStream(true).build()).start();
             Connection nc = server.connect(user)) {
            nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("S").subjects("s").build());
            assertThat(nc.jetStream().publish("s", new byte[]{1}).getSeqno()).isEqualTo(1);
            Options wrong = server.optionsBuilder().maxReconnects(0)
                    .authHandler(stranger.authHandler()).build();
            assertThatThrownBy(() -> Nats.connect(wrong)).hasMessageContaining("Authorization");
        }
        assertThatThrownBy(() -> Account.builder("BAD").nkeyUser("not-a-key"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NKey.createUser");
    }
}
