package io.natsmigrate.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/** The immutable settings a {@link NatsServer.Builder} produced, and the config file they render to. */
final class ServerSettings {
    final NatsServerBinary binary;
    final int port;
    final String serverName;
    final boolean jetStream;
    final Path storeDir;
    final String domain;
    final String syncInterval;
    final Integer maxPayload;
    final Integer maxConnections;
    final Long maxMemoryStore;
    final Long maxFileStore;
    final List<Account> accounts;
    final String systemAccount;
    final boolean leafNodeListener;
    final List<ObjectNode> leafRemotes;
    final String clusterName;
    final Supplier<List<Integer>> routePorts;
    final List<String> extraConfig;
    final Duration startTimeout;
    final boolean debug;
    final TestCertificates tls;
    final List<ObjectNode> users;

    ServerSettings(NatsServer.Builder b) {
        this.binary = b.binary != null ? b.binary : NatsServerBinary.find();
        this.port = b.port;
        this.serverName = b.serverName != null ? b.serverName
                : "nats-" + UUID.randomUUID().toString().substring(0, 8);
        this.jetStream = b.jetStream;
        this.storeDir = b.storeDir;
        this.domain = b.domain;
        this.syncInterval = b.syncInterval;
        this.maxPayload = b.maxPayload;
        this.maxConnections = b.maxConnections;
        this.maxMemoryStore = b.maxMemoryStore;
        this.maxFileStore = b.maxFileStore;
        this.accounts = List.copyOf(b.accounts);
        this.systemAccount = b.systemAccount;
        this.leafNodeListener = b.leafNodeListener;
        this.leafRemotes = b.leafRemotes.stream().map(ObjectNode::deepCopy).toList();
        this.clusterName = b.clusterName;
        this.routePorts = b.routePorts;
        this.extraConfig = List.copyOf(b.extraConfig);
        this.startTimeout = b.startTimeout;
        this.debug = b.debug;
        this.tls = b.tls;
        this.users = b.users.values().stream().map(ObjectNode::deepCopy).toList();
    }

    /**
     * The config file: one JSON object written by {@link ConfigJson}, then the {@code extraConfig} lines, which
     * are in nats-server's own syntax (the server reads both from one file).
     */
    String toConfig(Path storeDir, ListenerPorts ports) {
        ObjectNode c = ConfigJson.object();
        c.put("listen", "127.0.0.1:" + ports.client());
        c.put("server_name", serverName);
        c.put("http", "127.0.0.1:" + ports.monitor());
        if (!users.isEmpty()) {
            c.putObject("authorization").set("users", ConfigJson.array(users));
        }
        if (tls != null) {
            c.putObject("tls")
                    .put("cert_file", tls.certFile().toString())
                    .put("key_file", tls.keyFile().toString())
                    .put("ca_file", tls.caFile().toString())
                    .put("timeout", 5);
        }
        if (debug) {
            c.put("debug", true);
        }
        if (maxPayload != null) {
            c.put("max_payload", maxPayload);
        }
        if (maxConnections != null) {
            c.put("max_connections", maxConnections);
        }
        if (jetStream) {
            ObjectNode js = c.putObject("jetstream").put("store_dir", storeDir.toString());
            putIfSet(js, "domain", domain);
            putIfSet(js, "sync_interval", syncInterval);
            if (maxMemoryStore != null) {
                js.put("max_memory_store", maxMemoryStore);
            }
            if (maxFileStore != null) {
                js.put("max_file_store", maxFileStore);
            }
        }
        if (!accounts.isEmpty()) {
            ObjectNode accountsNode = c.putObject("accounts");
            accounts.forEach(a -> accountsNode.set(a.name(), a.toConfig()));
        }
        putIfSet(c, "system_account", systemAccount);
        if (clusterName != null) {
            List<Integer> routes = routePorts.get();
            // The first node of a cluster has no peer port yet, but a JetStream cluster refuses to start
            // without a route. This placeholder refuses connections; NatsCluster reloads the real peers.
            List<String> urls = routes.isEmpty() ? List.of("nats-route://127.0.0.1:1")
                    : routes.stream().map(p -> "nats-route://127.0.0.1:" + p).toList();
            ObjectNode cluster = c.putObject("cluster").put("name", clusterName)
                    .put("listen", "127.0.0.1:" + ports.route());
            cluster.set("routes", ConfigJson.strings(urls));
        }
        if (leafNodeListener || !leafRemotes.isEmpty()) {
            ObjectNode leaf = c.putObject("leafnodes");
            if (leafNodeListener) {
                leaf.put("listen", "127.0.0.1:" + ports.leafnode());
            }
            if (!leafRemotes.isEmpty()) {
                leaf.put("reconnect", "100ms");
                leaf.set("remotes", ConfigJson.array(leafRemotes));
            }
        }
        StringBuilder text = new StringBuilder("# written by the natsmigrate testkit\n").append(ConfigJson.write(c))
                .append('\n');
        extraConfig.forEach(l -> text.append(l).append('\n'));
        return text.toString();
    }

    private static void putIfSet(ObjectNode node, String key, String value) {
        if (value != null) {
            node.put(key, value);
        }
    }
}
