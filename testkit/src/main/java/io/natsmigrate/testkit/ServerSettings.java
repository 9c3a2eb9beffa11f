package io.natsmigrate.testkit;

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
    final List<String> leafRemotes;
    final String clusterName;
    final Supplier<List<Integer>> routePorts;
    final List<String> extraConfig;
    final Duration startTimeout;
    final boolean debug;
    final TestCertificates tls;
    final List<String> users;

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
        this.leafRemotes = List.copyOf(b.leafRemotes);
        this.clusterName = b.clusterName;
        this.routePorts = b.routePorts;
        this.extraConfig = List.copyOf(b.extraConfig);
        this.startTimeout = b.startTimeout;
        this.debug = b.debug;
        this.tls = b.tls;
        this.users = List.copyOf(b.users.values());
    }

    String toConfig(Path storeDir, ListenerPorts ports) {
        StringBuilder c = new StringBuilder();
        c.append("# written by the natsmigrate testkit\n");
        c.append("listen: 127.0.0.1:").append(ports.client()).append('\n');
        c.append("server_name: ").append(Conf.quote(serverName)).append('\n');
        c.append("http: 127.0.0.1:").append(ports.monitor()).append('\n');
        if (!users.isEmpty()) {
            c.append("authorization {\n  users: [\n");
            users.forEach(u -> c.append("    ").append(u).append('\n'));
            c.append("  ]\n}\n");
        }
        if (tls != null) {
            c.append("tls {\n");
            c.append("  cert_file: ").append(Conf.quote(tls.certFile().toString())).append('\n');
            c.append("  key_file: ").append(Conf.quote(tls.keyFile().toString())).append('\n');
            c.append("  ca_file: ").append(Conf.quote(tls.caFile().toString())).append('\n');
            c.append("  timeout: 5\n");
            c.append("}\n");
        }
        if (debug) {
            c.append("debug: true\n");
        }
        if (maxPayload != null) {
            c.append("max_payload: ").append(maxPayload).append('\n');
        }
        if (maxConnections != null) {
            c.append("max_connections: ").append(maxConnections).append('\n');
        }
        if (jetStream) {
            c.append("jetstream {\n");
            c.append("  store_dir: ").append(Conf.quote(storeDir.toString())).append('\n');
            if (domain != null) {
                c.append("  domain: ").append(Conf.quote(domain)).append('\n');
            }
            if (syncInterval != null) {
                c.append("  sync_interval: ").append(syncInterval).append('\n');
            }
            if (maxMemoryStore != null) {
                c.append("  max_memory_store: ").append(maxMemoryStore).append('\n');
            }
            if (maxFileStore != null) {
                c.append("  max_file_store: ").append(maxFileStore).append('\n');
            }
            c.append("}\n");
        }
        if (!accounts.isEmpty()) {
            c.append("accounts {\n");
            accounts.forEach(a -> c.append(a.toConfig()));
            c.append("}\n");
        }
        if (systemAccount != null) {
            c.append("system_account: ").append(Conf.quote(systemAccount)).append('\n');
        }
        if (clusterName != null) {
            c.append("cluster {\n");
            c.append("  name: ").append(Conf.quote(clusterName)).append('\n');
            c.append("  listen: 127.0.0.1:").append(ports.route()).append('\n');
            List<Integer> routes = routePorts.get();
            c.append("  routes: [\n");
            if (routes.isEmpty()) {
                // The first node of a cluster has no peer port yet, but a JetStream cluster refuses to start
                // without a route. This placeholder refuses connections; NatsCluster reloads the real peers.
                c.append("    \"nats-route://127.0.0.1:1\"\n");
            }
            routes.forEach(p -> c.append("    \"nats-route://127.0.0.1:").append(p).append("\"\n"));
            c.append("  ]\n");
            c.append("}\n");
        }
        if (leafNodeListener || !leafRemotes.isEmpty()) {
            c.append("leafnodes {\n");
            if (leafNodeListener) {
                c.append("  listen: 127.0.0.1:").append(ports.leafnode()).append('\n');
            }
            if (!leafRemotes.isEmpty()) {
                c.append("  reconnect: \"100ms\"\n");
                c.append("  remotes: [\n");
                leafRemotes.forEach(r -> c.append("    ").append(r).append('\n'));
                c.append("  ]\n");
            }
            c.append("}\n");
        }
        extraConfig.forEach(l -> c.append(l).append('\n'));
        return c.toString();
    }
}
