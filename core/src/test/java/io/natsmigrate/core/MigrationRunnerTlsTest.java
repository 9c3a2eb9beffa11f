package io.natsmigrate.core;

import io.nats.client.Connection;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.testkit.Account;
import io.natsmigrate.testkit.NatsServer;
import io.natsmigrate.testkit.NkeyUser;
import io.natsmigrate.testkit.TestCertificates;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The plan runner over TLS as an nkey user: apply, status, rollback, with its state in the account's KV. */
class MigrationRunnerTlsTest {

    @Test
    void aPlanAppliesReportsAndRollsBackOverTlsWithAnNkeyUser() throws Exception {
        NkeyUser user = NkeyUser.create();
        try (TestCertificates certs = TestCertificates.generate();
             NatsServer server = NatsServer.builder().tls(certs).account(Account.builder("APP")
                     .nkeyUser(user).jetStream(true).build()).start();
             Connection nc = server.connect(user)) {
            MigrationPlan plan = CoreToJetStreamRecipe.named("tls")
                    .stream(StreamConfiguration.builder().name("EVENTS").subjects("events")
                            .maxAge(Duration.ofHours(1)).build())
                    .consumer(ConsumerConfiguration.builder().durable("app").build())
                    .build();
            try (MigrationRunner runner = plan.runner(nc).build()) {
                runner.applyTo(CoreToJetStreamRecipe.SHADOW);
                assertThat(runner.status().toText()).contains(CoreToJetStreamRecipe.SHADOW);
                assertThat(nc.jetStreamManagement().getStreamNames()).contains("EVENTS");
                runner.rollbackToStart();
                assertThat(nc.jetStreamManagement().getStreamNames()).doesNotContain("EVENTS");
            }
        }
    }
}
