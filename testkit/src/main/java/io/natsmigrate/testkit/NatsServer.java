package io.natsmigrate.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.natsmigrate.primitives.Durations;
import io.natsmigrate.primitives.NameRules;


import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A real nats-server process for tests.
 *
 * <pre>{@code
 * try (NatsServer server = NatsServer.builder().jetStream(true).syncInterval("always").start();
 *      Connection nc = server.connect()) {
 *     nc.jetStreamManagement().addStream(...);
 *     server.kill();      // SIGKILL, no clean shutdown
 *     server.restart();   // same port, same store dir
 * }
 * }</pre>
 *
 * <p>ListenerPorts: the server listens on port {@code -1} (the kernel picks a free one) and the testkit reads the
 * port the server reports in its log, so there is no probe-then-hope race between parallel tests. After the
 * first start the ports are pinned, so {@link #restart()} comes back on the same URL and clients reconnect.
 *
 * <p>Store: unless {@link Builder#storeDir(Path)} is given, JetStream stores into a temporary directory that
 * {@link #close()} deletes. A given store dir is never deleted.
 */
public final class NatsServer implements NatsTopology {

    private static final Pattern RELOAD_OUTCOME =
            Pattern.compile("Reloaded server configuration|Failed to reload server configuration");
    private static final Pattern RELOAD_FAILED = Pattern.compile("Failed to reload server configuration");

    private final ServerSettings settings;
    private final Path workDir;
    private final Path storeDir;
    private final boolean ownsStoreDir;
    private final ServerLog log = new ServerLog();
    private final Object lock = new Object();

    private Process process;
    private Thread shutdownHook;
    private boolean paused;
    private boolean closed;
    private ListenerPorts ports = ListenerPorts.UNASSIGNED;
    /** The ports written into the running process's config (-1 on a first start); reload must keep them. */
    private ListenerPorts launchPorts = ListenerPorts.UNASSIGNED;

    private NatsServer(ServerSettings settings) {
        this.settings = settings;
        try {
            this.workDir = Files.createTempDirectory("natsmigrate-" + settings.serverName + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a temporary directory for the server", e);
        }
        this.ownsStoreDir = settings.storeDir == null;
        this.ports = ListenerPorts.UNASSIGNED.with("client", settings.port);
        this.storeDir = ownsStoreDir ? workDir.resolve("jetstream") : settings.storeDir;
    }

    /** A builder with JetStream on, a temporary store and a random port. */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts a JetStream-enabled server with default settings. */
    public static NatsServer start() {
        return builder().start();
    }

    // ---------------------------------------------------------------------------------------------- lifecycle

    private NatsServer launch() {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("Server " + settings.serverName + " is closed; build a new one");
            }
            if (process != null && process.isAlive()) {
                throw new IllegalStateException("Server " + settings.serverName + " is already running");
            }
            Path conf = workDir.resolve("server.conf");
            launchPorts = ports;
            writeConfig(conf);
            log.add("--- natsmigrate testkit: starting " + settings.binary + " -c " + conf + " ---");
            CompletableFuture<ListenerPorts> ready = new CompletableFuture<>();
            ListenerPorts initial = ports;
            Process p;
            try {
                p = new ProcessBuilder(settings.binary.path().toString(), "-c", conf.toString())
                        .redirectErrorStream(true)
                        .start();
            } catch (IOException e) {
                throw new NatsServerStartException("Could not run " + settings.binary.path(), log.tail(50), e);
            }
            process = p;
            paused = false;
            Thread reader = io.natsmigrate.primitives.DaemonThreads.create(
                    () -> ServerStartup.pump(p, log, initial, settings, ready), "nats-server-log-" + settings.serverName);
            reader.start();
            try {
                ports = ready.get(settings.startTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                p.destroyForcibly();
                ProcessControl.awaitExit(p);
                String why = e instanceof TimeoutException
                        ? "did not report \"Server is ready\" within " + settings.startTimeout
                        : "exited before it was ready (exit code " + ProcessControl.exitCode(p) + ")";
                throw new NatsServerStartException("nats-server " + settings.serverName + " " + why
                        + "; config " + conf, log.tail(60), e);
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new NatsServerStartException("Interrupted while starting " + settings.serverName,
                        log.tail(60), e);
            }
            if (shutdownHook == null) {
                // A test JVM that dies without close() must not leave servers behind.
                shutdownHook = new Thread(this::destroyQuietly, "nats-server-cleanup-" + settings.serverName);
                Runtime.getRuntime().addShutdownHook(shutdownHook);
            }
            return this;
        }
    }

    /** Graceful shutdown (SIGTERM), waiting for the process to exit. No-op when not running. */
    public void stop() {
        synchronized (lock) {
            Process p = process;
            if (p == null || !p.isAlive()) {
                return;
            }
            if (paused) {
                ProcessControl.signal(process, "CONT");
                paused = false;
            }
            p.destroy();
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
            ProcessControl.awaitExit(p);
        }
    }

    /** Kills the process with SIGKILL: no clean shutdown, no flush of unsynced JetStream data. */
    public void kill() {
        synchronized (lock) {
            Process p = process;
            if (p == null || !p.isAlive()) {
                return;
            }
            p.destroyForcibly();
            ProcessControl.awaitExit(p);
            paused = false;
        }
    }

    /**
     * Stops the server if it runs, then starts it again with the same ports, config and store dir. Works
     * after {@link #stop()} and {@link #kill()} too.
     */
    public NatsServer restart() {
        synchronized (lock) {
            stop();
            return launch();
        }
    }

    /**
     * Rewrites the config file and asks the running server to reload it (SIGHUP), waiting until it confirms.
     *
     * @throws IllegalStateException with the server's log when it does not confirm the reload within 10 s
     */
    public void reload() {
        synchronized (lock) {
            requireRunning();
            Path conf = workDir.resolve("server.conf");
            writeConfig(conf);
            long mark = log.mark();
            ProcessControl.signal(process, "HUP");
            try {
                if (!log.awaitAfter(mark, RELOAD_OUTCOME, Duration.ofSeconds(10))
                        || log.awaitAfter(mark, RELOAD_FAILED, Duration.ZERO)) {
                    throw new IllegalStateException("Server " + settings.serverName + " did not reload its config"
                            + " (failed, or no confirmation within 10 s):\n" + log.tail(30));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the reload", e);
            }
        }
    }

    /**
     * Freezes the process (SIGSTOP; Unix only): it holds its sockets but answers nothing, like a hung server. Returns once
     * every thread of the process is stopped (signal delivery is asynchronous; on Linux this is read from /proc).
     */
    public void pause() {
        synchronized (lock) {
            requireRunning();
            ProcessControl.signal(process, "STOP");
            ProcessControl.awaitThreadsStopped(process, settings.serverName, true);
            paused = true;
        }
    }

    /** Thaws a process frozen by {@link #pause()} (SIGCONT), returning once its threads run again. */
    public void resume() {
        synchronized (lock) {
            requireRunning();
            ProcessControl.signal(process, "CONT");
            ProcessControl.awaitThreadsStopped(process, settings.serverName, false);
            paused = false;
        }
    }

    /** Stops the server and deletes its temporary files (and its store dir unless the caller gave one). */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            stop();
            closed = true;
            if (shutdownHook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException jvmShuttingDown) {
                    // the hook is running or about to; nothing left to remove
                }
            }
            ProcessControl.deleteRecursively(workDir);
        }
    }

    // ---------------------------------------------------------------------------------------------- queries

    /** True while the process is alive (also when paused). */
    public boolean isRunning() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** The operating-system process id of the current process. */
    public long pid() {
        Process p = process;
        if (p == null) {
            throw new IllegalStateException("Server " + settings.serverName + " was never started");
        }
        return p.pid();
    }

    /** This one server. */
    @Override
    public List<NatsServer> servers() {
        return List.of(this);
    }

    /** {@code nats://127.0.0.1:<port>}. */
    public String url() {
        return (settings.tls == null ? "nats" : "tls") + "://127.0.0.1:" + port();
    }

    /** The client port the server reported. */
    public int port() {
        return ports.require("client", settings.serverName);
    }

    /** The port for leaf node connections; only when {@link Builder#leafNodeListener(boolean)} is on. */
    public int leafNodePort() {
        return ports.require("leafnode", settings.serverName);
    }

    /** The port for cluster routes; only for cluster members. */
    public int routePort() {
        return ports.require("route", settings.serverName);
    }

    /** The HTTP monitoring port ({@code /varz}, {@code /jsz}, {@code /leafz}, ...). */
    public int monitorPort() {
        return ports.require("monitor", settings.serverName);
    }

    /** The configured server name. */
    public String name() {
        return settings.serverName;
    }

    /** The JetStream domain, or null. */
    public String domain() {
        return settings.domain;
    }

    /** The binary's version. */
    public ServerVersion version() {
        return settings.binary.version();
    }

    /** Where JetStream stores its data. */
    public Path storeDir() {
        return storeDir;
    }

    /** Everything the server printed, across restarts. */
    public ServerLog log() {
        return log;
    }

    /** The config the running process was started with (after a restart: with its pinned ports). */
    public String configText() {
        return settings.toConfig(storeDir, launchPorts);
    }

    private void writeConfig(Path conf) {
        try {
            Files.writeString(conf, configText());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + conf, e);
        }
    }

    /**
     * GETs a monitoring endpoint, for example {@code monitor("jsz")} or {@code monitor("leafz")}.
     *
     * @return the JSON body
     */
    public String monitor(String endpoint) {
        return MonitorClient.get(monitorPort(), endpoint);
    }

    // ---------------------------------------------------------------------------------------------- clients

    /**
     * Client options for this server, tuned for tests: reconnect forever every 50 ms (so a restarted server is
     * found quickly) and a 5 s connect timeout. Add credentials or listeners before building.
     */
    public Options.Builder optionsBuilder() {
        Options.Builder b = Options.builder()
                .server(url())
                .maxReconnects(-1)
                .reconnectWait(Duration.ofMillis(50))
                .connectionTimeout(Duration.ofSeconds(5));
        return settings.tls == null ? b : b.sslContext(settings.tls.clientContext());
    }

    /** Connects with {@link #optionsBuilder()}. */
    @Override
    public Connection connect() throws IOException, InterruptedException {
        return Nats.connect(optionsBuilder().build());
    }

    /** Connects as an nkey user of one of the configured {@link Account accounts}. */
    public Connection connect(NkeyUser user) throws IOException, InterruptedException {
        return Nats.connect(optionsBuilder().authHandler(Objects.requireNonNull(user, "user").authHandler()).build());
    }

    /** Connects as a user of one of the configured {@link Account accounts}. */
    public Connection connect(String user, String password) throws IOException, InterruptedException {
        return Nats.connect(optionsBuilder().userInfo(user, password).build());
    }

    @Override
    public String toString() {
        return "NatsServer[" + settings.serverName + (ports.has("client") ? " " + url() : "") + ", "
                + settings.binary.version() + (isRunning() ? ", running" : ", stopped") + "]";
    }

    // ---------------------------------------------------------------------------------------------- internals

    private void requireRunning() {
        if (!isRunning()) {
            throw new IllegalStateException("Server " + settings.serverName + " is not running");
        }
    }

    private void destroyQuietly() {
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
        }
        ProcessControl.deleteRecursively(workDir);
    }

    // ---------------------------------------------------------------------------------------------- config

    /**
     * Configures a {@link NatsServer}. Defaults: JetStream on, temporary store, random ports, the binary from
     * {@link NatsServerBinary#find()}, a 10 s start timeout.
     */
    public static final class Builder {
        private static final Pattern SYNC = Pattern.compile("always|\\d+(ms|s|m|h)");

        NatsServerBinary binary;
        int port = -1;
        String serverName;
        boolean jetStream = true;
        Path storeDir;
        String domain;
        String syncInterval;
        Integer maxPayload;
        Integer maxConnections;
        Long maxMemoryStore;
        Long maxFileStore;
        final List<Account> accounts = new ArrayList<>();
        String systemAccount;
        boolean leafNodeListener;
        final List<ObjectNode> leafRemotes = new ArrayList<>();
        String clusterName;
        Supplier<List<Integer>> routePorts = List::of;
        final List<String> extraConfig = new ArrayList<>();
        Duration startTimeout = Duration.ofSeconds(10);
        boolean debug;
        TestCertificates tls;
        final Map<String, ObjectNode> users = new LinkedHashMap<>();

        private Builder() {
        }

        /** Runs this binary instead of the one {@link NatsServerBinary#find()} picks (e.g. an older server). */
        public Builder binary(NatsServerBinary binary) {
            this.binary = Objects.requireNonNull(binary, "binary");
            return this;
        }

        /**
         * Listens on this client port instead of one the kernel picks. Only for tests that need a known port
         * (e.g. a port clash); the default avoids races between parallel tests.
         */
        public Builder port(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be 1..65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /** JetStream on or off (default on). */
        public Builder jetStream(boolean enabled) {
            this.jetStream = enabled;
            return this;
        }

        /** Stores JetStream data here; the directory is kept on close (default: a temp dir, deleted on close). */
        public Builder storeDir(Path dir) {
            this.storeDir = Objects.requireNonNull(dir, "dir").toAbsolutePath();
            return this;
        }

        /** The server name (letters, digits, {@code _}, {@code -}). */
        public Builder serverName(String name) {
            this.serverName = validName("server name", name);
            return this;
        }

        /** Runs JetStream in this domain; its API is then also reachable as {@code $JS.<domain>.API}. */
        public Builder domain(String domain) {
            this.domain = validName("JetStream domain", domain);
            return this;
        }

        /**
         * JetStream's {@code sync_interval}: {@code "always"} (fsync every write, acked data survives SIGKILL)
         * or a duration such as {@code "2m"} or {@code "500ms"}.
         */
        public Builder syncInterval(String interval) {
            Objects.requireNonNull(interval, "interval");
            if (!SYNC.matcher(interval).matches()) {
                throw new IllegalArgumentException("sync_interval \"" + interval
                        + "\" is invalid: use \"always\" or a duration such as \"500ms\", \"10s\", \"2m\"");
            }
            this.syncInterval = interval;
            return this;
        }

        /** {@code max_payload} in bytes. */
        public Builder maxPayload(int bytes) {
            this.maxPayload = positive("max_payload", bytes);
            return this;
        }

        /** {@code max_connections}. */
        public Builder maxConnections(int connections) {
            this.maxConnections = positive("max_connections", connections);
            return this;
        }

        /** JetStream {@code max_memory_store} in bytes. */
        public Builder maxMemoryStore(long bytes) {
            this.maxMemoryStore = positive("max_memory_store", bytes);
            return this;
        }

        /** JetStream {@code max_file_store} in bytes. */
        public Builder maxFileStore(long bytes) {
            this.maxFileStore = positive("max_file_store", bytes);
            return this;
        }

        /** Adds an account; clients then connect with {@link NatsServer#connect(String, String)}. */
        public Builder account(Account account) {
            this.accounts.add(Objects.requireNonNull(account, "account"));
            return this;
        }

        /** Names the system account (must be one of the added accounts). */
        public Builder systemAccount(String name) {
            this.systemAccount = validName("system account", name);
            return this;
        }

        /** Accepts leaf node connections on a random port ({@link NatsServer#leafNodePort()}). */
        public Builder leafNodeListener(boolean enabled) {
            this.leafNodeListener = enabled;
            return this;
        }

        /** Connects as a leaf node to the hub's leaf port (local {@code $G} account). */
        public Builder leafRemote(int hubLeafNodePort) {
            leafRemotes.add(ConfigJson.object().put("url", "nats://127.0.0.1:" + hubLeafNodePort));
            return this;
        }

        /**
         * Connects as a leaf node to the hub's leaf port (local {@code $G} account) without passing {@code subjects}
         * either way ({@code deny_imports} and {@code deny_exports}): what keeps a bridge leaf from looping a
         * system's own messages back into it.
         */
        public Builder leafRemoteDenying(int hubLeafNodePort, List<String> subjects) {
            if (subjects.isEmpty()) {
                throw new IllegalArgumentException("no subjects to deny: use leafRemote(port) for an open remote");
            }
            return leafRemoteDenying(List.of(hubLeafNodePort), subjects);
        }

        /**
         * Connects as a leaf node to a clustered hub, any of whose nodes' leaf ports will do (the leaf fails over
         * between them), without passing {@code subjects} either way; an empty {@code subjects} list gives an open
         * remote.
         */
        public Builder leafRemoteDenying(List<Integer> hubLeafNodePorts, List<String> subjects) {
            Objects.requireNonNull(subjects, "subjects");
            if (hubLeafNodePorts.isEmpty()) {
                throw new IllegalArgumentException("no hub leaf port to connect to");
            }
            ObjectNode remote = ConfigJson.object();
            remote.set("urls", ConfigJson.strings(hubLeafNodePorts.stream().map(p -> "nats://127.0.0.1:" + p).toList()));
            if (!subjects.isEmpty()) {
                remote.set("deny_imports", ConfigJson.strings(subjects));
                remote.set("deny_exports", ConfigJson.strings(subjects));
            }
            leafRemotes.add(remote);
            return this;
        }

        /**
         * Connects as a leaf node to the hub's leaf port, binding the local {@code account} and logging in to the
         * hub as {@code user}.
         */
        public Builder leafRemote(int hubLeafNodePort, String account, String user, String password) {
            leafRemotes.add(ConfigJson.object()
                    .put("url", "nats://" + user + ":" + password + "@127.0.0.1:" + hubLeafNodePort)
                    .put("account", account));
            return this;
        }

        /** Cluster membership; used by {@link NatsCluster}, which supplies the peers' route ports. */
        Builder cluster(String name, Supplier<List<Integer>> routePorts) {
            this.clusterName = validName("cluster name", name);
            this.routePorts = Objects.requireNonNull(routePorts, "routePorts");
            return this;
        }

        /**
         * Appends raw lines in nats-server's config syntax after the JSON config this builder writes (the server
         * reads both in one file), for settings this builder has no method for.
         */
        public Builder extraConfig(String... lines) {
            for (String l : lines) {
                extraConfig.add(Objects.requireNonNull(l, "config line"));
            }
            return this;
        }

        /** How long to wait for "Server is ready" (default 10 s). */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = Durations.requirePositive("start timeout", timeout);
            return this;
        }

        /** A user of the server's default account with every permission (server-wide authorization). */
        public Builder user(String name, String password) {
            users.put(Objects.requireNonNull(name, "name"),
                    ConfigJson.user(name, Objects.requireNonNull(password, "password"), null));
            return this;
        }

        /**
         * A user of the server's default account that may only do what {@code permissions} allow; connect with
         * {@code optionsBuilder().userInfo(name, password)}.
         */
        public Builder user(String name, String password, UserPermissions permissions) {
            users.put(Objects.requireNonNull(name, "name"), ConfigJson.user(name,
                    Objects.requireNonNull(password, "password"), Objects.requireNonNull(permissions, "permissions")));
            return this;
        }

        /**
         * Requires TLS on the client port, with the server certificate of {@code certs}. {@link #url()} is then
         * {@code tls://...} and {@link #optionsBuilder()} trusts the test CA; routes and leaf nodes stay plain.
         */
        public Builder tls(TestCertificates certs) {
            this.tls = Objects.requireNonNull(certs, "certs");
            return this;
        }

        /** Server debug logging, useful when a test fails and its log is attached. */
        public Builder debug(boolean enabled) {
            this.debug = enabled;
            return this;
        }

        /**
         * Starts the server and returns once it reports ready.
         *
         * @throws NatsServerNotFoundException when no binary was given and none is found
         * @throws NatsServerStartException with the server's output when it does not come up
         */
        public NatsServer start() {
            if (systemAccount != null && accounts.stream().noneMatch(a -> a.name().equals(systemAccount))) {
                throw new IllegalStateException("System account " + systemAccount + " is not one of the added"
                        + " accounts: add it with account(Account.builder(\"" + systemAccount + "\")...)");
            }
            NatsServer server = new NatsServer(new ServerSettings(this));
            try {
                return server.launch();
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
        }

        private static String validName(String what, String value) {
            Objects.requireNonNull(value, what);
            if (!NameRules.isToken(value)) {
                throw new IllegalArgumentException(what + " \"" + value
                        + "\" is invalid: use letters, digits, '_' and '-' only");
            }
            return value;
        }

        private static <N extends Number> N positive(String what, N value) {
            if (value.longValue() <= 0) {
                throw new IllegalArgumentException(what + " must be positive, was " + value);
            }
            return value;
        }
    }
}
