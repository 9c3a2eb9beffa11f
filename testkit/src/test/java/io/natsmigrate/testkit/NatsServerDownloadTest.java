package io.natsmigrate.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The download path of the testkit against a local HTTP server that serves a release built from the cached
 * binary (this machine has no internet): a good archive, a wrong checksum, a truncated download.
 */
class NatsServerDownloadTest {

    private static final String VERSION = NatsServerDownload.DEFAULT_VERSION;
    private static final NatsServerDownload HERE = NatsServerDownload.forThisMachine();

    private static HttpServer http;
    private static URI base;
    private static final AtomicInteger ARCHIVE_REQUESTS = new AtomicInteger();

    @BeforeAll
    static void serveAFixtureRelease() throws Exception {
        byte[] zip = zipOf(NatsServerBinary.find().path());
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(zip));
        String sums = "0000  nats-server-v" + VERSION + "-other-arch.zip\n" + sha + "  " + HERE.archiveName() + "\n";
        String wrong = "0".repeat(64) + "  " + HERE.archiveName() + "\n";
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.setExecutor(java.util.concurrent.Executors.newCachedThreadPool()); // a stalled answer blocks no other
        String release = "/v" + VERSION + "/";
        for (String kind : new String[]{"good", "badsum", "truncated", "stalled"}) {
            http.createContext("/" + kind + release + "SHA256SUMS", ex -> send(ex,
                    (kind.equals("badsum") ? wrong : sums).getBytes(StandardCharsets.UTF_8), "good"));
            http.createContext("/" + kind + release + HERE.archiveName(), ex -> {
                ARCHIVE_REQUESTS.incrementAndGet();
                send(ex, zip, kind);
            });
        }
        http.start();
        base = URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/");
    }

    @AfterAll
    static void stop() {
        http.stop(0);
    }

    @Test
    void aGoodArchiveIsVerifiedUnpackedAndThenTakenFromTheCache(@TempDir Path cache) {
        NatsServerDownload download = NatsServerDownload.forThisMachine(VERSION, base.resolve("good/"));
        int before = ARCHIVE_REQUESTS.get();
        Path binary = download.provision(cache);
        assertThat(binary).isEqualTo(cache.resolve("nats-server-" + VERSION).resolve(HERE.executableName()));
        assertThat(NatsServerBinary.of(binary).version().isAtLeast(ServerVersion.MINIMUM_SUPPORTED)).isTrue();
        assertThat(download.provision(cache)).isEqualTo(binary);
        assertThat(ARCHIVE_REQUESTS.get() - before).as("the second call finds it in the cache").isEqualTo(1);
    }

    @Test
    void aWrongChecksumInstallsNothing(@TempDir Path cache) throws IOException {
        NatsServerDownload download = NatsServerDownload.forThisMachine(VERSION, base.resolve("badsum/"));
        assertThatThrownBy(() -> download.provision(cache))
                .isInstanceOf(NatsServerNotFoundException.class)
                .hasMessageContaining("Could not provision nats-server v" + VERSION)
                .hasMessageContaining("but the release's SHA256SUMS says " + "0".repeat(64))
                .hasMessageContaining("Nothing was installed")
                .hasMessageContaining("NATS_SERVER_BIN");
        assertThat(filesUnder(cache)).isEmpty();
    }

    /** A server that ends the body early (no length announced): the checksum catches it. */
    @Test
    void aTruncatedDownloadInstallsNothing(@TempDir Path cache) throws IOException {
        NatsServerDownload download = NatsServerDownload.forThisMachine(VERSION, base.resolve("truncated/"));
        assertThatThrownBy(() -> download.provision(cache))
                .isInstanceOf(NatsServerNotFoundException.class)
                .hasMessageContaining("Could not provision nats-server v" + VERSION)
                .hasMessageContaining("but the release's SHA256SUMS says")
                .hasMessageContaining("Nothing was installed");
        assertThat(filesUnder(cache)).isEmpty();
    }

    /** A connection that stops delivering half way: the download gives up at its timeout instead of hanging. */
    @Test
    void aStalledDownloadEndsAtItsTimeoutAndInstallsNothing(@TempDir Path cache) throws IOException {
        NatsServerDownload download = NatsServerDownload.forThisMachine(VERSION, base.resolve("stalled/"))
                .timeout(java.time.Duration.ofSeconds(2));
        assertThatThrownBy(() -> download.provision(cache))
                .isInstanceOf(NatsServerNotFoundException.class)
                .hasMessageContaining("the download did not finish within PT2S")
                .hasMessageContaining("Nothing was installed");
        assertThat(filesUnder(cache)).isEmpty();
    }

    /**
     * A user's build with nothing provisioned, in a container where {@code HOME} and {@code user.home} differ:
     * the server is downloaded under {@code $HOME} (where {@code scripts/nats-server.sh} also looks) and found
     * there next time without a download.
     */
    @Test
    void findDownloadsIntoHomeWhenNothingIsThereAndFindsItAfterwards(@TempDir Path home, @TempDir Path userHome) {
        Map<String, String> env = Map.of("HOME", home.toString(), "PATH", "",
                NatsServerDownload.ENV_BASE, base.resolve("good/").toString());
        int before = ARCHIVE_REQUESTS.get();
        NatsServerBinary found = NatsServerBinary.find(env, userHome);
        assertThat(found.path()).startsWith(home.resolve(".cache/natsmigrate"));
        assertThat(NatsServerBinary.find(env, userHome).path()).isEqualTo(found.path());
        assertThat(ARCHIVE_REQUESTS.get() - before).isEqualTo(1);
        assertThat(userHome.resolve(".cache")).doesNotExist();
        assertThat(NatsServerBinary.cacheRoot(env, userHome)).isEqualTo(home.resolve(".cache/natsmigrate"));
        assertThat(NatsServerBinary.cacheRoot(Map.of(), userHome)).isEqualTo(userHome.resolve(".cache/natsmigrate"));
    }

    @Test
    void platformsMapToTheReleaseNames() {
        assertThat(NatsServerDownload.os("Linux")).isEqualTo("linux");
        assertThat(NatsServerDownload.os("Mac OS X")).isEqualTo("darwin");
        assertThat(NatsServerDownload.os("Windows 11")).isEqualTo("windows");
        assertThat(NatsServerDownload.arch("x86_64")).isEqualTo("amd64");
        assertThat(NatsServerDownload.arch("aarch64")).isEqualTo("arm64");
        NatsServerDownload windows = HERE.forPlatform("windows", "amd64");
        assertThat(windows.archiveName()).isEqualTo("nats-server-v" + VERSION + "-windows-amd64.zip");
        assertThat(windows.executableName()).isEqualTo("nats-server.exe");
        assertThatThrownBy(() -> NatsServerDownload.arch("s390x")).isInstanceOf(NatsServerNotFoundException.class)
                .hasMessageContaining("amd64 and arm64 only").hasMessageContaining("NATS_SERVER_BIN");
        assertThatThrownBy(() -> NatsServerDownload.os("Plan9")).hasMessageContaining("no build for the OS");
    }

    private static java.util.List<Path> filesUnder(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    private static void send(HttpExchange ex, byte[] body, String kind) throws IOException {
        switch (kind) {
            case "truncated" -> {
                ex.sendResponseHeaders(200, 0); // chunked: no length announced, the body just ends early
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body, 0, body.length / 2);
                }
            }
            case "stalled" -> {
                ex.sendResponseHeaders(200, body.length);
                OutputStream out = ex.getResponseBody();
                out.write(body, 0, body.length / 2);
                out.flush();
                try {
                    Thread.sleep(10_000); // then nothing more; the client must give up by itself
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ex.close();
            }
            default -> {
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    private static byte[] zipOf(Path binary) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("nats-server-v" + VERSION + "-linux-amd64/README.md"));
            zip.write("fixture".getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("nats-server-v" + VERSION + "-linux-amd64/" + HERE.executableName()));
            Files.copy(binary, zip);
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }
}
