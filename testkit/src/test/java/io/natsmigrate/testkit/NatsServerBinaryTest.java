package io.natsmigrate.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NatsServerBinaryTest {

    @Test
    void noBinaryAnywhereNamesTheScriptAndTheVariable(@TempDir Path home) {
        Map<String, String> env = Map.of("PATH", home.resolve("empty-bin").toString(),
                NatsServerDownload.ENV_NO_DOWNLOAD, "1");
        assertThatThrownBy(() -> NatsServerBinary.find(env, home))
                .isInstanceOf(NatsServerNotFoundException.class)
                .hasMessageContaining("download: off (NATSMIGRATE_NO_DOWNLOAD is set)")
                .hasMessageContaining("scripts/nats-server.sh")
                .hasMessageContaining("NATS_SERVER_BIN")
                .hasMessageContaining("PATH: no nats-server")
                .hasMessageContaining(home.resolve(".cache/natsmigrate/nats-server-current/nats-server").toString());
    }

    @Test
    void envVariableWinsWhenNewEnough(@TempDir Path home) {
        Path real = NatsServerBinary.find().path();
        NatsServerBinary b = NatsServerBinary.find(Map.of("NATS_SERVER_BIN", real.toString(), "PATH", ""), home);
        assertThat(b.path()).isEqualTo(real);
        assertThat(b.version().isAtLeast(ServerVersion.MINIMUM_SUPPORTED)).isTrue();
    }

    @Test
    void tooOldBinariesArePassedOverAndSaidSo(@TempDir Path home) throws Exception {
        Path legacy = NatsServerBinary.legacy().path();
        Path bin = Files.createDirectory(home.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("nats-server"), legacy);
        Map<String, String> env = Map.of("NATS_SERVER_BIN", legacy.toString(), "PATH", bin.toString(),
                NatsServerDownload.ENV_NO_DOWNLOAD, "1");
        assertThatThrownBy(() -> NatsServerBinary.find(env, home))
                .isInstanceOf(NatsServerNotFoundException.class)
                .hasMessageContaining("NATS_SERVER_BIN=" + legacy + ": version 2.9.10 is too old")
                .hasMessageContaining("version 2.9.10 is too old");
    }

    @Test
    void cacheIsUsedWhenNothingElseIs(@TempDir Path home) throws Exception {
        Path cached = home.resolve("cache/nats-server-current");
        Files.createDirectories(cached);
        Files.createSymbolicLink(cached.resolve("nats-server"), NatsServerBinary.find().path());
        NatsServerBinary b = NatsServerBinary.find(Map.of("NATSMIGRATE_CACHE", home.resolve("cache").toString()), home);
        assertThat(b.path()).isEqualTo(cached.resolve("nats-server").toAbsolutePath());
    }

    @Test
    void nonExecutableOrNonServerFilesAreRejected(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> NatsServerBinary.of(dir.resolve("missing")))
                .isInstanceOf(NatsServerNotFoundException.class).hasMessageContaining("not an executable");
        Path script = dir.resolve("fake");
        Files.writeString(script, "#!/bin/sh\necho hello\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThatThrownBy(() -> NatsServerBinary.of(script))
                .isInstanceOf(NatsServerNotFoundException.class).hasMessageContaining("printed no version");
    }

    @Test
    void parsesVersions() {
        assertThat(ServerVersion.parse("nats-server: v2.15.1")).isEqualTo(new ServerVersion(2, 15, 1));
        assertThat(ServerVersion.parse("2.12.0-beta.1").isAtLeast(ServerVersion.MINIMUM_SUPPORTED)).isTrue();
        assertThat(new ServerVersion(2, 9, 10).isAtLeast(ServerVersion.MINIMUM_SUPPORTED)).isFalse();
        assertThatThrownBy(() -> ServerVersion.parse("no version")).isInstanceOf(IllegalArgumentException.class);
    }
}
