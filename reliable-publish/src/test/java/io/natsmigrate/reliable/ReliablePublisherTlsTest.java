package io.natsmigrate.reliable;

import io.nats.client.Connection;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.testkit.Account;
import io.natsmigrate.testkit.NatsServer;
import io.natsmigrate.testkit.NkeyUser;
import io.natsmigrate.testkit.TestCertificates;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.natsmigrate.testkit.NatsAssertions.assertThatStream;
import static org.assertj.core.api.Assertions.assertThat;

/** The reliable publisher over TLS, as an nkey user of an account, across a server restart. */
class ReliablePublisherTlsTest {

    @Test
    void everyMessageIsStoredOnceOverTlsWithAnNkeyUserAcrossARestart() throws Exception {
        NkeyUser user = NkeyUser.create();
        try (TestCertificates certs = TestCertificates.generate();
             NatsServer server = NatsServer.builder().tls(certs).account(Account.builder("APP")
                     .nkeyUser(user).jetStream(true).build()).start();
             Connection nc = server.connect(user)) {
            assertThat(nc.getConnectedUrl()).startsWith("tls://");
            nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("ORDERS").subjects("orders.>")
                    .build());
            try (ReliablePublisher publisher = ReliablePublisher.builder(nc).build()) {
                List<CompletableFuture<?>> acks = new ArrayList<>();
                for (int i = 0; i < 1_000; i++) {
                    acks.add(publisher.publishAsync("orders.created", ("order " + i).getBytes()));
                    if (i == 500) {
                        server.restart();
                    }
                }
                CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get();
            }
            assertThatStream(nc, "ORDERS").hasMessages(1_000);
        }
    }
}
