package io.natsmigrate.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A nats-server executable and its version.
 *
 * <p>{@link #find()} looks in the same places, in the same order, as the project's
 * {@code scripts/nats-server.sh}: the {@code NATS_SERVER_BIN} environment variable, {@code nats-server} (or
 * {@code nats-server.exe}) on {@code PATH}, then the cache ({@code $NATSMIGRATE_CACHE}, else
 * {@code $HOME/.cache/natsmigrate}, with {@code user.home} only where {@code HOME} is not set: the script's rule,
 * so both find what the other provisioned). When none is there it downloads the official release for this
 * machine into the cache ({@link NatsServerDownload}, checked against the release's SHA-256), so a project using
 * the testkit needs no script. Binaries older than {@link ServerVersion#MINIMUM_SUPPORTED} are passed over.
 * {@link #of(Path)} takes any binary as it is, so tests can also run older servers on purpose.
 */
public final class NatsServerBinary {

    /** Environment variable naming a nats-server executable. */
    public static final String ENV_BINARY = "NATS_SERVER_BIN";
    /** Environment variable overriding the provisioning cache root. */
    public static final String ENV_CACHE = "NATSMIGRATE_CACHE";
    /** The script that provisions a server into the cache. */
    public static final String PROVISION_SCRIPT = "scripts/nats-server.sh";

    private final Path path;
    private final ServerVersion version;

    private NatsServerBinary(Path path, ServerVersion version) {
        this.path = path;
        this.version = version;
    }

    /** Finds a supported (>= 2.12) nats-server using the process environment. */
    public static NatsServerBinary find() {
        return find(System.getenv(), Paths.get(System.getProperty("user.home")));
    }

    /**
     * The cache root: {@code $NATSMIGRATE_CACHE}, else {@code $HOME/.cache/natsmigrate}, else under
     * {@code userHome} (the JVM's {@code user.home}, which differs from {@code HOME} in some containers and CI
     * images).
     */
    public static Path cacheRoot(Map<String, String> env, Path userHome) {
        String root = env.get(ENV_CACHE);
        if (root != null && !root.isBlank()) {
            return Paths.get(root);
        }
        String home = env.get("HOME");
        return (home != null && !home.isBlank() ? Paths.get(home) : userHome).resolve(".cache").resolve("natsmigrate");
    }

    /**
     * Finds a supported nats-server using the given environment and home directory (visible for tests and
     * for callers that build their own environment).
     *
     * @throws NatsServerNotFoundException naming every place looked at and the provisioning command
     */
    public static NatsServerBinary find(Map<String, String> env, Path home) {
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(home, "home");
        List<String> looked = new ArrayList<>();
        String fromEnv = env.get(ENV_BINARY);
        if (fromEnv != null && !fromEnv.isBlank()) {
            Optional<NatsServerBinary> b = supported(Paths.get(fromEnv), ENV_BINARY + "=" + fromEnv, looked);
            if (b.isPresent()) {
                return b.get();
            }
        } else {
            looked.add(ENV_BINARY + ": not set");
        }
        String pathVar = env.getOrDefault("PATH", "");
        boolean onPath = false;
        for (String dir : pathVar.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Paths.get(dir, "nats-server");
            if (!Files.isExecutable(candidate)) {
                candidate = Paths.get(dir, "nats-server.exe");
            }
            if (Files.isExecutable(candidate)) {
                onPath = true;
                Optional<NatsServerBinary> b = supported(candidate, "PATH: " + candidate, looked);
                if (b.isPresent()) {
                    return b.get();
                }
            }
        }
        if (!onPath) {
            looked.add("PATH: no nats-server");
        }
        Path root = cacheRoot(env, home);
        Path cached = root.resolve("nats-server-current").resolve("nats-server");
        if (Files.isExecutable(cached)) {
            Optional<NatsServerBinary> b = supported(cached, "cache: " + cached, looked);
            if (b.isPresent()) {
                return b.get();
            }
        } else {
            looked.add("cache: no " + cached);
        }
        if (env.get(NatsServerDownload.ENV_NO_DOWNLOAD) != null) {
            looked.add("download: off (" + NatsServerDownload.ENV_NO_DOWNLOAD + " is set)");
        } else {
            try {
                String base = env.get(NatsServerDownload.ENV_BASE);
                NatsServerDownload download = NatsServerDownload.forThisMachine(NatsServerDownload.DEFAULT_VERSION,
                        base == null || base.isBlank() ? NatsServerDownload.DEFAULT_BASE : java.net.URI.create(base));
                Path provisioned = download.provision(root);
                Optional<NatsServerBinary> b = supported(provisioned, "download: " + provisioned, looked);
                if (b.isPresent()) {
                    return b.get();
                }
            } catch (NatsServerNotFoundException e) {
                looked.add("download: " + e.getMessage());
            }
        }
        throw new NatsServerNotFoundException("No nats-server >= " + ServerVersion.MINIMUM_SUPPORTED
                + " found. Looked at:\n  " + String.join("\n  ", looked) + "\n"
                + "Fix: run `" + PROVISION_SCRIPT + "` from the natsmigrate checkout (on Debian/Ubuntu it fetches"
                + " the server into the cache without root; elsewhere it prints the install command), or set "
                + ENV_BINARY + " to a nats-server >= " + ServerVersion.MINIMUM_SUPPORTED + " executable.");
    }

    /**
     * The legacy server (Debian bookworm's 2.9.10) provisioned by {@code scripts/nats-server.sh --legacy}, for
     * tests of "server too old" paths.
     *
     * @throws NatsServerNotFoundException when it was not provisioned
     */
    public static NatsServerBinary legacy() {
        Path cached = cacheRoot(System.getenv(), Paths.get(System.getProperty("user.home")))
                .resolve("nats-server-legacy").resolve("nats-server");
        if (!Files.isExecutable(cached)) {
            throw new NatsServerNotFoundException("No legacy nats-server at " + cached
                    + ". Fix: run `" + PROVISION_SCRIPT + " --legacy` (the Maven build does this on Linux).");
        }
        return of(cached);
    }

    /**
     * Takes the given binary whatever its version.
     *
     * @throws NatsServerNotFoundException when it does not exist, is not executable or does not print a version
     */
    public static NatsServerBinary of(Path binary) {
        Objects.requireNonNull(binary, "binary");
        if (!Files.isExecutable(binary)) {
            throw new NatsServerNotFoundException(binary + " is not an executable file. Fix: point at a"
                    + " nats-server binary, or run `" + PROVISION_SCRIPT + "` to provision one.");
        }
        return new NatsServerBinary(binary.toAbsolutePath(), readVersion(binary));
    }

    /** Where the binary is. */
    public Path path() {
        return path;
    }

    /** What {@code nats-server --version} reported. */
    public ServerVersion version() {
        return version;
    }

    @Override
    public String toString() {
        return "nats-server " + version + " at " + path;
    }

    private static Optional<NatsServerBinary> supported(Path candidate, String where, List<String> looked) {
        try {
            NatsServerBinary b = of(candidate);
            if (b.version.isAtLeast(ServerVersion.MINIMUM_SUPPORTED)) {
                return Optional.of(b);
            }
            looked.add(where + ": version " + b.version + " is too old");
        } catch (NatsServerNotFoundException e) {
            looked.add(where + ": " + e.getMessage());
        }
        return Optional.empty();
    }

    private static ServerVersion readVersion(Path binary) {
        try {
            Process p = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new NatsServerNotFoundException(binary + " --version did not finish within 10 s");
            }
            try {
                return ServerVersion.parse(out);
            } catch (IllegalArgumentException e) {
                throw new NatsServerNotFoundException(binary + " --version printed no version: " + out);
            }
        } catch (IOException e) {
            throw new NatsServerNotFoundException(binary + " could not be run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted while running " + binary, e));
        }
    }
}
