package io.natsmigrate.cli;

import io.nats.client.NKey;
import io.natsmigrate.testkit.Account;
import io.natsmigrate.testkit.NatsServer;
import io.natsmigrate.testkit.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CLI's authentication and TLS options against servers that require them: an nkey seed file, a user and
 * password, and a CA file for a TLS server; the wrong or missing credential exits 1 naming the server.
 */
class CliAuthIT {

    @Test
    void anNkeySeedFileAndAUserPasswordAuthenticate(@TempDir Path dir) throws Exception {
        NKey key = NKey.createUser(null);
        NKey stranger = NKey.createUser(null);
        Path seed = dir.resolve("user.nk");
        Files.writeString(seed, new String(key.getSeed()) + "\n");
        Path wrongSeed = dir.resolve("stranger.nk");
        Files.writeString(wrongSeed, new String(stranger.getSeed()));
        try (NatsServer server = NatsServer.builder().account(Account.builder("APP")
                .nkeyUser(new String(key.getPublicKey())).user("ops", "s3cret").jetStream(true).build()).start()) {
            CliProcess.Result r = CliProcess.run("status", "-s", server.url(), "--nkey", seed.toString());
            assertThat(r.exit()).as(r.all()).isZero();
            assertThat(r.out()).contains("No plans recorded");

            r = CliProcess.run("status", "-s", server.url(), "--nkey", wrongSeed.toString(), "--timeout", "2s");
            assertThat(r.exit()).as(r.all()).isEqualTo(1);
            assertThat(r.err()).contains("Cannot connect to " + server.url());

            r = CliProcess.run("status", "-s", server.url(), "--nkey", dir.resolve("missing.nk").toString());
            assertThat(r.exit()).as(r.all()).isEqualTo(1);
            assertThat(r.err()).contains("--nkey").contains("no such readable file");

            r = CliProcess.run("status", "-s", server.url(), "--user", "ops", "--password", "s3cret");
            assertThat(r.exit()).as(r.all()).isZero();
            r = CliProcess.run("status", "-s", server.url(), "--user", "ops", "--password", "wrong", "--timeout",
                    "2s");
            assertThat(r.exit()).as(r.all()).isEqualTo(1);
        }
    }

    @Test
    void aCaFileLetsTheCliTrustATlsServer() throws Exception {
        try (TestCertificates certs = TestCertificates.generate();
             NatsServer server = NatsServer.builder().tls(certs).start()) {
            CliProcess.Result r = CliProcess.run("status", "-s", server.url(), "--tlsca", certs.caFile().toString());
            assertThat(r.exit()).as(r.all()).isZero();
            assertThat(r.out()).contains("No plans recorded");

            r = CliProcess.run("status", "-s", server.url(), "--timeout", "2s");
            assertThat(r.exit()).as(r.all()).isEqualTo(1);
            assertThat(r.err()).contains("Cannot connect to " + server.url());

            r = CliProcess.run("status", "-s", server.url(), "--tlsca", certs.caFile().toString(), "--tlscert",
                    certs.caFile().toString());
            assertThat(r.exit()).as(r.all()).isEqualTo(1);
            assertThat(r.err()).contains("--tlscert and --tlskey go together");
        }
    }
}
