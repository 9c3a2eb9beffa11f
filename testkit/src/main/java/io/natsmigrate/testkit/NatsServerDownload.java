package io.natsmigrate.testkit;

import io.natsmigrate.primitives.Durations;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Provisions nats-server from its official release archive, in Java, so a project that uses the testkit needs no
 * script and no package manager: on Linux, macOS and Windows, amd64 and arm64. The archive
 * ({@code nats-server-v<version>-<os>-<arch>.zip}) is checked against the SHA-256 the release publishes in its
 * {@code SHA256SUMS} before anything is unpacked; the binary is moved into the cache in one step, so a concurrent
 * or interrupted download never leaves a half-written server behind.
 *
 * <p>{@link NatsServerBinary#find()} calls this when no server is found (unless {@value #ENV_NO_DOWNLOAD} is set).
 * The cache is {@code <cache root>/nats-server-<version>/nats-server[.exe]}, the cache root being
 * {@code $NATSMIGRATE_CACHE}, else {@code $HOME/.cache/natsmigrate} (else {@code user.home}'s), the same rule as
 * {@code scripts/nats-server.sh}.
 */
public final class NatsServerDownload {

    /** The release provisioned by default: the version this project's tests run on. */
    public static final String DEFAULT_VERSION = "2.15.1";
    /** Where the official releases are. */
    public static final URI DEFAULT_BASE = URI.create("https://github.com/nats-io/nats-server/releases/download/");
    /** Set to any value to turn the download off (only the cache, PATH and {@code NATS_SERVER_BIN} count). */
    public static final String ENV_NO_DOWNLOAD = "NATSMIGRATE_NO_DOWNLOAD";
    /** Overrides {@link #DEFAULT_BASE}, e.g. an internal mirror of the release assets. */
    public static final String ENV_BASE = "NATSMIGRATE_DOWNLOAD_BASE";

    private final String version;
    private final URI base;
    private final String os;
    private final String arch;
    private final Duration timeout;

    private NatsServerDownload(String version, URI base, String os, String arch, Duration timeout) {
        this.version = version;
        this.base = base;
        this.os = os;
        this.arch = arch;
        this.timeout = timeout;
    }

    /** The default release for this machine's OS and architecture. */
    public static NatsServerDownload forThisMachine() {
        return forThisMachine(DEFAULT_VERSION, DEFAULT_BASE);
    }

    /**
     * {@code version} from {@code base} (the URL that release tags hang off) for this machine.
     *
     * @throws NatsServerNotFoundException on an OS or architecture nats-server publishes no build for
     */
    public static NatsServerDownload forThisMachine(String version, URI base) {
        return new NatsServerDownload(Objects.requireNonNull(version, "version"), withSlash(base),
                os(System.getProperty("os.name")), arch(System.getProperty("os.arch")), Duration.ofMinutes(2));
    }

    /** The same download with another bound on each request, the archive's included (default 2 min). */
    public NatsServerDownload timeout(Duration timeout) {
        return new NatsServerDownload(version, base, os, arch, Durations.requirePositive("timeout", timeout));
    }

    /** The same download for another platform (for tests and for preparing a cache for another machine). */
    public NatsServerDownload forPlatform(String os, String arch) {
        return new NatsServerDownload(version, base, Objects.requireNonNull(os, "os"),
                Objects.requireNonNull(arch, "arch"), timeout);
    }

    /** The archive's file name, as the release names it. */
    public String archiveName() {
        return "nats-server-v" + version + "-" + os + "-" + arch + ".zip";
    }

    /** The executable's file name on the target platform. */
    public String executableName() {
        return os.equals("windows") ? "nats-server.exe" : "nats-server";
    }

    /** Where this version's binary lives under {@code cacheRoot}. */
    public Path cachedBinary(Path cacheRoot) {
        return cacheRoot.resolve("nats-server-" + version).resolve(executableName());
    }

    /**
     * The binary in the cache, downloading and verifying it first when it is not there.
     *
     * @throws NatsServerNotFoundException naming the URL, what went wrong (unreachable, not found, checksum
     *                                     mismatch, truncated, no binary in the archive) and the fix
     */
    public Path provision(Path cacheRoot) {
        Path target = cachedBinary(cacheRoot);
        if (Files.isExecutable(target)) {
            return target;
        }
        URI archive = base.resolve("v" + version + "/" + archiveName());
        URI sums = base.resolve("v" + version + "/SHA256SUMS");
        Path tmp = null;
        try {
            Files.createDirectories(target.getParent());
            HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                    .connectTimeout(Duration.ofSeconds(20)).build();
            String expected = expectedSha256(http, sums);
            tmp = Files.createTempFile(target.getParent(), ".download-", ".zip");
            String actual = download(http, archive, tmp);
            if (!actual.equals(expected)) {
                throw failure(archive, "its SHA-256 is " + actual + " but the release's SHA256SUMS says " + expected
                        + " (a corrupted or altered download)", null);
            }
            unpack(tmp, target, archive);
            return target;
        } catch (IOException e) {
            throw failure(archive, e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(archive, "interrupted", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a stray temp file in the cache dir is harmless and never mistaken for the binary
                }
            }
        }
    }

    private String expectedSha256(HttpClient http, URI sums) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(sums).timeout(timeout).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (r.statusCode() != 200) {
            throw new IOException("GET " + sums + " answered HTTP " + r.statusCode());
        }
        for (String line : r.body().split("\n")) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length == 2 && parts[1].replace("*", "").equals(archiveName())) {
                return parts[0].toLowerCase(Locale.ROOT);
            }
        }
        throw new IOException(sums + " lists no checksum for " + archiveName() + " (no build for " + os + "-"
                + arch + " in v" + version + "?)");
    }

    /**
     * Downloads into {@code to} within the timeout as a whole (a stalled connection must not hang a build), then
     * returns the file's SHA-256.
     */
    private String download(HttpClient http, URI archive, Path to) throws IOException, InterruptedException {
        java.util.concurrent.CompletableFuture<HttpResponse<Path>> call = http.sendAsync(
                HttpRequest.newBuilder(archive).timeout(timeout).build(), HttpResponse.BodyHandlers.ofFile(to));
        HttpResponse<Path> r;
        try {
            r = call.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            call.cancel(true);
            throw new IOException("the download did not finish within " + timeout + " (" + Files.size(to)
                    + " bytes so far)");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("the download broke off: " + e.getCause(), e.getCause());
        }
        if (r.statusCode() != 200) {
            throw new IOException("GET " + archive + " answered HTTP " + r.statusCode());
        }
        long announced = r.headers().firstValueAsLong("Content-Length").orElse(-1);
        long written = Files.size(to);
        if (announced >= 0 && written != announced) {
            throw new IOException("the download ended after " + written + " of " + announced + " bytes");
        }
        MessageDigest sha = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(to), sha)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private void unpack(Path zip, Path target, URI archive) throws IOException {
        Path tmpBinary = target.resolveSibling("." + executableName() + "." + ProcessHandle.current().pid());
        boolean found = false;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null && !found; e = in.getNextEntry()) {
                String name = e.getName();
                if (!e.isDirectory() && (name.equals(executableName()) || name.endsWith("/" + executableName()))) {
                    Files.copy(in, tmpBinary, StandardCopyOption.REPLACE_EXISTING);
                    found = true;
                }
            }
        }
        if (!found) {
            throw new IOException(archive + " holds no " + executableName());
        }
        if (!tmpBinary.toFile().setExecutable(true, false)) {
            throw new IOException("could not make " + tmpBinary + " executable");
        }
        Files.move(tmpBinary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private NatsServerNotFoundException failure(URI archive, String what, Exception cause) {
        NatsServerNotFoundException e = new NatsServerNotFoundException("Could not provision nats-server v"
                + version + " from " + archive + ": " + what + ". Nothing was installed. Fix: check the network"
                + " (or set " + ENV_BASE + " to a mirror of the release assets), or install nats-server >= "
                + ServerVersion.MINIMUM_SUPPORTED + " yourself and set " + NatsServerBinary.ENV_BINARY
                + " to it.");
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    static String os(String osName) {
        String n = osName == null ? "" : osName.toLowerCase(Locale.ROOT);
        if (n.startsWith("linux")) {
            return "linux";
        }
        if (n.startsWith("mac") || n.startsWith("darwin")) {
            return "darwin";
        }
        if (n.startsWith("windows")) {
            return "windows";
        }
        if (n.startsWith("freebsd")) {
            return "freebsd";
        }
        throw new NatsServerNotFoundException("nats-server publishes no build for the OS \"" + osName + "\". Fix:"
                + " build it (go install github.com/nats-io/nats-server/v2@latest) and set "
                + NatsServerBinary.ENV_BINARY + " to it.");
    }

    static String arch(String osArch) {
        String a = osArch == null ? "" : osArch.toLowerCase(Locale.ROOT);
        switch (a) {
            case "amd64", "x86_64" -> {
                return "amd64";
            }
            case "aarch64", "arm64" -> {
                return "arm64";
            }
            default -> throw new NatsServerNotFoundException("This testkit downloads nats-server for amd64 and"
                    + " arm64 only, not \"" + osArch + "\". Fix: install a nats-server for it and set "
                    + NatsServerBinary.ENV_BINARY + " to it.");
        }
    }

    private static URI withSlash(URI base) {
        Objects.requireNonNull(base, "base");
        return base.toString().endsWith("/") ? base : URI.create(base + "/");
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
