package io.natsmigrate.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.natsmigrate.testkit.NatsAssertions.assertThatStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NatsServerTest {

    @Test
    void startsOnAPortTheServerReportsAndServesJetStream() throws Exception {
        try (NatsServer server = NatsServer.start(); Connection nc = server.connect()) {
            assertThat(server.port()).isPositive();
            assertThat(server.url()).isEqualTo("nats://127.0.0.1:" + server.port());
            assertThat(server.isRunning()).isTrue();
            assertThat(server.version().isAtLeast(ServerVersion.MINIMUM_SUPPORTED)).isTrue();
            assertThat(nc.getServerInfo().getPort()).isEqualTo(server.port());

            JetStreamManagement jsm = nc.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name("S").subjects("s.>").build());
            nc.jetStream().publish("s.1", "hello".getBytes());
            assertThatStream(jsm, "S").hasMessages(1).hasSubjectCount("s.1", 1).hasLastSequence(1);
        }
    }

    @Test
    void twoServersGetDifferentPorts() {
        try (NatsServer a = NatsServer.start(); NatsServer b = NatsServer.start()) {
            assertThat(a.port()).isNotEqualTo(b.port());
            assertThat(a.storeDir()).isNotEqualTo(b.storeDir());
        }
    }

    @Test
    void temporaryStoreIsDeletedOnCloseButAGivenStoreIsKept(@TempDir Path dir) throws Exception {
        Path temp;
        try (NatsServer server = NatsServer.start(); Connection nc = server.connect()) {
            nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("T").subjects("t").build());
            temp = server.storeDir();
            assertThat(temp).exists();
        }
        assertThat(temp).doesNotExist();

        Path given = dir.resolve("store");
        try (NatsServer server = NatsServer.builder().storeDir(given).start(); Connection nc = server.connect()) {
            nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("G").subjects("g").build());
        }
        assertThat(given).isDirectory();
        try (var files = Files.walk(given)) {
            assertThat(files.anyMatch(p -> p.getFileName().toString().equals("G"))).isTrue();
        }
    }

    @Test
    void appliesNameDomainLimitsAndExtraConfig() throws Exception {
        try (NatsServer server = NatsServer.builder().serverName("orders-1").domain("east").maxPayload(4096)
                .syncInterval("always").extraConfig("max_control_line: 2048").start();
             Connection nc = server.connect()) {
            assertThat(nc.getServerInfo().getServerName()).isEqualTo("orders-1");
            assertThat(nc.getMaxPayload()).isEqualTo(4096);
            assertThat(server.configText()).contains("\"domain\" : \"east\"", "\"sync_interval\" : \"always\"",
                    "max_control_line: 2048");
            // The domain's API prefix reaches this server's JetStream.
            assertThat(nc.request("$JS.east.API.INFO", new byte[0], java.time.Duration.ofSeconds(2)).getData())
                    .asString().contains("\"domain\":\"east\"");
        }
    }

    @Test
    void configIsOneJsonDocumentSoAwkwardPasswordsAndPathsNeedNoHandQuoting(@TempDir Path parent) throws Exception {
        String password = "p\"w\\/#{x}: 'y'";
        Path store = Files.createDirectories(parent.resolve("store dir #1"));
        try (NatsServer server = NatsServer.builder().storeDir(store).user("app", password)
                .extraConfig("max_control_line: 2048").start();
             Connection nc = server.connect("app", password)) {
            String text = server.configText();
            String json = text.substring(text.indexOf('{'), text.lastIndexOf('}') + 1);
            JsonNode config = new ObjectMapper().readTree(json);
            assertThat(config.path("authorization").path("users").get(0).path("password").asText())
                    .isEqualTo(password);
            assertThat(config.path("jetstream").path("store_dir").asText()).isEqualTo(store.toString());
            assertThat(text).endsWith("max_control_line: 2048\n");
            nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("S").subjects("s.>").build());
            try (var files = Files.list(store)) {
                assertThat(files).isNotEmpty();
            }
        }
    }

    @Test
    void jetStreamCanBeOff() throws Exception {
        try (NatsServer server = NatsServer.builder().jetStream(false).start(); Connection nc = server.connect()) {
            assertThat(server.configText()).doesNotContain("jetstream");
            assertThatThrownBy(() -> nc.jetStreamManagement().getAccountStatistics())
                    .hasMessageContaining("no response");
        }
    }

    @Test
    void badConfigFailsWithTheServersOwnError() {
        assertThatThrownBy(() -> NatsServer.builder().extraConfig("this_is_not_a_setting: {").start())
                .isInstanceOf(NatsServerStartException.class)
                .hasMessageContaining("exited before it was ready")
                .satisfies(e -> assertThat(((NatsServerStartException) e).serverOutput()).isNotBlank());
    }

    @Test
    void portClashFailsWithTheServersOwnError() {
        try (NatsServer first = NatsServer.start()) {
            assertThatThrownBy(() -> NatsServer.builder().port(first.port()).start())
                    .isInstanceOf(NatsServerStartException.class)
                    .hasMessageContaining("address already in use");
        }
    }

    @Test
    void runsAnOlderBinaryWhenAskedTo() throws Exception {
        NatsServerBinary legacy = NatsServerBinary.legacy();
        assertThat(legacy.version().isAtLeast(ServerVersion.MINIMUM_SUPPORTED)).isFalse();
        try (NatsServer server = NatsServer.builder().binary(legacy).start(); Connection nc = server.connect()) {
            assertThat(server.version()).isEqualTo(legacy.version());
            assertThat(nc.getServerInfo().getVersion()).isEqualTo(legacy.version().toString());
        }
    }

    @Test
    void rejectsInvalidSettingsWithTheFix() {
        assertThatThrownBy(() -> NatsServer.builder().serverName("has space"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("letters, digits");
        assertThatThrownBy(() -> NatsServer.builder().domain("a.b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JetStream domain");
        assertThatThrownBy(() -> NatsServer.builder().syncInterval("sometimes"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"always\"");
        assertThatThrownBy(() -> NatsServer.builder().maxPayload(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
        assertThatThrownBy(() -> NatsServer.builder().systemAccount("SYS").start())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not one of the added accounts");
    }

    @Test
    void closedServerCannotRestart() {
        NatsServer server = NatsServer.start();
        server.close();
        assertThat(server.isRunning()).isFalse();
        assertThatThrownBy(server::restart).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}
