package io.natsmigrate.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.natsmigrate.primitives.Durations;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real RabbitMQ broker for tests: Debian's rabbitmq-server, extracted without root
 * ({@link RabbitMqInstallation}), started as a plain process on free loopback ports with its own node name, epmd,
 * data directory and the management plugin. Starting takes 10 to 25 s on 2 cores, so start one per test class.
 *
 * <pre>{@code
 * try (RabbitMqBroker rabbit = RabbitMqBroker.start()) {
 *     rabbit.importDefinitions(Files.readString(Path.of("definitions.json")));
 *     boolean routed = rabbit.publish("/", "orders", "order.created", "m1");
 *     List<String> got = rabbit.drain("/", "billing");                // ["m1"]
 *     ConnectionFactory f = new ConnectionFactory(); f.setUri(rabbit.amqpUri());   // the real AMQP client
 * }
 * }</pre>
 *
 * The broker's administrator is {@code guest}/{@code guest}, reachable on loopback only. Unix only (signals and
 * the Debian tree).
 */
public final class RabbitMqBroker implements AutoCloseable {

    private final RabbitMqInstallation installation;
    private final Duration startTimeout;
    private final List<String> plugins;
    private final Path workDir;
    private final ServerLog log = new ServerLog();
    private final String nodeName = "rabbit-" + UUID.randomUUID().toString().substring(0, 8) + "@localhost";
    private Process epmd;
    private Process broker;
    private Thread shutdownHook;
    private int amqpPort;
    private int managementPort;
    private RabbitMqManagement management;

    private RabbitMqBroker(Builder b) {
        this.installation = b.installation != null ? b.installation : RabbitMqInstallation.find();
        this.startTimeout = b.startTimeout;
        this.plugins = List.copyOf(b.plugins);
        try {
            this.workDir = Files.createTempDirectory("natsmigrate-rabbitmq-");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a temporary directory for RabbitMQ", e);
        }
    }

    /** A broker with the defaults: the provisioned installation, a 120 s start timeout. */
    public static RabbitMqBroker start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    private RabbitMqBroker launch() {
        try {
            int epmdPort = freePort();
            amqpPort = freePort();
            managementPort = freePort();
            int distPort = freePort();
            Path home = Files.createDirectories(workDir.resolve("home"));
            Files.writeString(workDir.resolve("rabbitmq.conf"), String.join("\n",
                    "listeners.tcp.default = 127.0.0.1:" + amqpPort,
                    "management.tcp.ip = 127.0.0.1",
                    "management.tcp.port = " + managementPort,
                    "loopback_users = none",
                    "log.console = true",
                    "log.file = false") + "\n");
            Files.writeString(workDir.resolve("enabled_plugins"), "[" + String.join(",", plugins) + "].\n");
            epmd = new ProcessBuilder(installation.erlangBin().resolve("epmd").toString(), "-port",
                    String.valueOf(epmdPort)).redirectErrorStream(true).start();
            pump(epmd, "epmd");
            ProcessBuilder pb = new ProcessBuilder(installation.serverScript().toString()).redirectErrorStream(true);
            Map<String, String> env = pb.environment();
            env.put("PATH", installation.erlangBin() + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
            env.put("HOME", home.toString());
            env.put("ERL_EPMD_PORT", String.valueOf(epmdPort));
            env.put("RABBITMQ_NODENAME", nodeName);
            env.put("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1");
            env.put("RABBITMQ_NODE_PORT", String.valueOf(amqpPort));
            env.put("RABBITMQ_DIST_PORT", String.valueOf(distPort));
            env.put("RABBITMQ_CONFIG_FILE", workDir.resolve("rabbitmq.conf").toString());
            env.put("RABBITMQ_ENABLED_PLUGINS_FILE", workDir.resolve("enabled_plugins").toString());
            env.put("RABBITMQ_MNESIA_BASE", workDir.resolve("mnesia").toString());
            env.put("RABBITMQ_LOG_BASE", workDir.resolve("log").toString());
            // Files that do not exist: the machine's /etc/rabbitmq must not leak into a test broker.
            env.put("RABBITMQ_CONF_ENV_FILE", workDir.resolve("rabbitmq-env.conf").toString());
            env.put("RABBITMQ_ADVANCED_CONFIG_FILE", workDir.resolve("advanced.config").toString());
            broker = pb.start();
            pump(broker, "rabbitmq");
            shutdownHook = new Thread(this::killQuietly, "rabbitmq-cleanup");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
            management = new RabbitMqManagement(managementPort, "guest", "guest");
            awaitReady();
            return this;
        } catch (IOException e) {
            close();
            throw new RabbitMqStartException("Could not start RabbitMQ from " + installation.root() + ": "
                    + e.getMessage(), log.tail(40), e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (!management.answers()) {
            if (!broker.isAlive()) {
                throw new RabbitMqStartException("RabbitMQ exited before it was ready (exit code "
                        + broker.exitValue() + ")", log.tail(60), null);
            }
            if (System.nanoTime() > deadline) {
                throw new RabbitMqStartException("RabbitMQ did not answer on its management port within "
                        + startTimeout, log.tail(60), null);
            }
            try {
                Thread.sleep(200); // polling the API is the readiness signal RabbitMQ offers
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RabbitMqStartException("Interrupted while starting RabbitMQ", log.tail(20), e);
            }
        }
    }

    private void pump(Process p, String name) {
        Thread t = io.natsmigrate.primitives.DaemonThreads.create(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    log.add(line);
                }
            } catch (IOException ended) {
                // the process went away
            }
        }, name + "-log-" + nodeName);
        t.start();
    }

    private static int freePort() throws IOException {
        // RabbitMQ cannot report a port it chose itself, so one is reserved here and handed over.
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    // ------------------------------------------------------------------------------------------ queries

    /** The AMQP 0-9-1 port on 127.0.0.1. */
    public int amqpPort() {
        return amqpPort;
    }

    /** The management HTTP port on 127.0.0.1. */
    public int managementPort() {
        return managementPort;
    }

    /** {@code amqp://guest:guest@127.0.0.1:<port>} for the AMQP client's {@code ConnectionFactory.setUri}. */
    public String amqpUri() {
        return "amqp://guest:guest@127.0.0.1:" + amqpPort;
    }

    /** The broker's version, e.g. {@code 3.10.8}. */
    public String version() {
        return installation.version();
    }

    /** What the broker printed. */
    public ServerLog log() {
        return log;
    }

    // ------------------------------------------------------------------------------------------ definitions

    /**
     * Imports a definitions export (exchanges, queues, bindings, policies, vhosts, parameters). Its users and
     * permissions are left out, so the export cannot change the {@code guest} administrator the testkit signs in
     * with, and {@code guest} gets every permission on each vhost of the export.
     *
     * @throws IOException when the broker refuses the export, with its reason
     */
    public void importDefinitions(String json) throws IOException {
        Objects.requireNonNull(json, "json");
        JsonNode parsed = RabbitMqManagement.json().readTree(json);
        if (!(parsed instanceof ObjectNode definitions)) {
            throw new IOException("Not a definitions export (a JSON object): " + json.substring(0,
                    Math.min(80, json.length())));
        }
        definitions.remove(List.of("users", "permissions", "topic_permissions"));
        List<String> vhosts = new ArrayList<>();
        definitions.path("vhosts").forEach(v -> vhosts.add(v.path("name").asText()));
        for (String v : vhosts) {
            management.put("/vhosts/" + RabbitMqManagement.segment(v), RabbitMqManagement.json().createObjectNode());
            grantGuest(v);
        }
        management.post("/definitions", definitions);
        for (String v : vhosts) {
            grantGuest(v);
        }
    }

    private void grantGuest(String vhost) throws IOException {
        management.put("/permissions/" + RabbitMqManagement.segment(vhost) + "/guest", RabbitMqManagement.json()
                .createObjectNode().put("configure", ".*").put("write", ".*").put("read", ".*"));
    }

    /** The broker's definitions, as {@code GET /api/definitions} returns them (a management-plugin export). */
    public String exportDefinitions() throws IOException {
        return RabbitMqManagement.json().writeValueAsString(management.get("/definitions"));
    }

    /**
     * Publishes through the management API (exchange "" is the default exchange).
     *
     * @return whether the exchange routed the message to at least one queue
     */
    public boolean publish(String vhost, String exchange, String routingKey, String payload) throws IOException {
        Objects.requireNonNull(vhost, "vhost");
        Objects.requireNonNull(exchange, "exchange (\"\" for the default exchange)");
        Objects.requireNonNull(routingKey, "routingKey");
        Objects.requireNonNull(payload, "payload");
        return management.publish(vhost, exchange, routingKey, payload);
    }

    /** Takes every message off {@code queue}, acknowledged; their payloads in order. */
    public List<String> drain(String vhost, String queue) throws IOException {
        Objects.requireNonNull(vhost, "vhost");
        Objects.requireNonNull(queue, "queue");
        return management.drain(vhost, queue);
    }

    // ------------------------------------------------------------------------------------------ lifecycle

    /** Stops the broker (SIGTERM to the Erlang VM, SIGKILL after 20 s) and its epmd. */
    public void stop() {
        stopTree(broker, Duration.ofSeconds(20));
        stopTree(epmd, Duration.ofSeconds(5));
    }

    /** Kills the broker's processes at once (SIGKILL). */
    public void kill() {
        killQuietly();
    }

    /** Stops the broker and deletes its data. */
    @Override
    public void close() {
        stop();
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException jvmShuttingDown) {
                // the hook runs anyway
            }
            shutdownHook = null;
        }
        ProcessControl.deleteRecursively(workDir);
    }

    private void killQuietly() {
        for (Process p : new Process[]{broker, epmd}) {
            if (p != null) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
    }

    private static void stopTree(Process p, Duration grace) {
        if (p == null) {
            return;
        }
        // The start script runs the Erlang VM as a child: signal every process of the tree, the VM first.
        List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
        tree.forEach(ProcessHandle::destroy);
        p.destroy();
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle h : tree) {
            try {
                h.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception notInTime) {
                h.destroyForcibly();
            }
        }
        try {
            if (!p.waitFor(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
    }

    /** Configures a {@link RabbitMqBroker}. */
    public static final class Builder {
        private RabbitMqInstallation installation;
        private Duration startTimeout = Duration.ofSeconds(120);
        private final List<String> plugins = new ArrayList<>(List.of("rabbitmq_management"));

        private Builder() {
        }

        /**
         * Plugins to enable besides the management plugin, e.g. {@code rabbitmq_federation} and
         * {@code rabbitmq_shovel}, so exports with federation upstreams or shovels import.
         */
        public Builder plugins(String... names) {
            for (String n : names) {
                if (!n.matches("[a-z0-9_]+")) {
                    throw new IllegalArgumentException("\"" + n + "\" is not a RabbitMQ plugin name (e.g."
                            + " rabbitmq_federation)");
                }
                if (!plugins.contains(n)) {
                    plugins.add(n);
                }
            }
            return this;
        }

        /** Runs this installation instead of {@link RabbitMqInstallation#find()}. */
        public Builder installation(RabbitMqInstallation installation) {
            this.installation = Objects.requireNonNull(installation, "installation");
            return this;
        }

        /** How long to wait for the management API to answer (default 120 s). */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = Durations.requirePositive("start timeout", timeout);
            return this;
        }

        /**
         * Starts the broker and returns once its management API answers.
         *
         * @throws RabbitMqNotFoundException when no installation is given and none is provisioned
         * @throws RabbitMqStartException with the broker's output when it does not come up
         */
        public RabbitMqBroker start() {
            return new RabbitMqBroker(this).launch();
        }
    }
}
