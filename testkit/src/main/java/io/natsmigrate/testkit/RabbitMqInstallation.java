package io.natsmigrate.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A RabbitMQ server extracted without root by {@code scripts/rabbitmq-server.sh} (Debian's rabbitmq-server with
 * its Erlang runtime): the directory holding {@code usr/lib/rabbitmq} and {@code usr/lib/erlang}.
 *
 * <p>Lookup: {@code $NATSMIGRATE_RABBITMQ_ROOT}, then {@code rabbitmq-server} under the testkit's cache
 * ({@link NatsServerBinary#cacheRoot}), the script's rule. The Maven build of the testkit module runs the script
 * on Unix; elsewhere the exception says what to run.
 *
 * @param root the extracted tree
 */
public record RabbitMqInstallation(Path root) {

    /** The variable that points at an extracted tree. */
    public static final String ENV_ROOT = "NATSMIGRATE_RABBITMQ_ROOT";
    /** Written by the script once a tree is complete. */
    static final String MARKER = ".natsmigrate-complete";

    public RabbitMqInstallation {
        Objects.requireNonNull(root, "root");
    }

    /**
     * The provisioned installation.
     *
     * @throws RabbitMqNotFoundException naming where it looked and the command to run
     */
    public static RabbitMqInstallation find() {
        return find(System.getenv(), Paths.get(System.getProperty("user.home")));
    }

    static RabbitMqInstallation find(Map<String, String> env, Path userHome) {
        String explicit = env.get(ENV_ROOT);
        if (explicit != null && Files.exists(Path.of(explicit, MARKER))) {
            return new RabbitMqInstallation(Path.of(explicit));
        }
        Path cached = NatsServerBinary.cacheRoot(env, userHome).resolve("rabbitmq-server");
        if (Files.exists(cached.resolve(MARKER))) {
            return new RabbitMqInstallation(cached);
        }
        throw new RabbitMqNotFoundException("No RabbitMQ found (looked at $" + ENV_ROOT + "="
                + (explicit == null ? "unset" : explicit) + " and " + cached + "). Provision it without root with"
                + " `bash scripts/rabbitmq-server.sh` from a natsmigrate checkout on Debian/Ubuntu (the testkit"
                + " module's build runs it), or point " + ENV_ROOT + " at a tree it made");
    }

    /** The {@code rabbitmq-server} start script. */
    Path serverScript() {
        return lib().resolve("sbin").resolve("rabbitmq-server");
    }

    /** Erlang's {@code bin}, which must be on the broker's PATH. */
    Path erlangBin() {
        return root.resolve("usr/lib/erlang/bin");
    }

    /** The broker's version, from its directory name ({@code rabbitmq_server-3.10.8}). */
    public String version() {
        return lib().getFileName().toString().replace("rabbitmq_server-", "");
    }

    private Path lib() {
        try (Stream<Path> dirs = Files.list(root.resolve("usr/lib/rabbitmq/lib"))) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("rabbitmq_server-")).findFirst()
                    .orElseThrow(() -> new RabbitMqNotFoundException("No rabbitmq_server-* under " + root
                            + "/usr/lib/rabbitmq/lib: provision again with `bash scripts/rabbitmq-server.sh`"));
        } catch (java.io.IOException e) {
            throw new RabbitMqNotFoundException("Cannot read " + root + ": " + e.getMessage());
        }
    }
}
