package io.natsmigrate.core;

import io.nats.client.Connection;
import io.nats.client.api.ServerInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The path one traced message took, as the servers reported it (see {@link RouteTrace}).
 *
 * @param subject  the subject traced
 * @param servers  one report per server the message passed, the publisher's server first
 * @param complete whether every server the message was forwarded to reported before the timeout; when false the
 *                 path may be longer than shown (a server that does not support tracing, or a slow link)
 */
public record TracedRoute(String subject, List<ServerTrace> servers, boolean complete) {

    public TracedRoute {
        Objects.requireNonNull(subject, "subject");
        servers = List.copyOf(servers);
    }

    /** A stream that stored the message, or would have with trace-only, and the server that reported it. */
    public record StoredIn(String stream, String subject, ServerTrace server) {
    }

    /** Every stream that stored (or would have stored) the message, wherever it is. */
    public List<StoredIn> storedIn() {
        List<StoredIn> out = new ArrayList<>();
        for (ServerTrace s : servers) {
            for (TraceEvent e : s.events()) {
                if (e.stored()) {
                    out.add(new StoredIn(e.stream(), e.subject(), s));
                }
            }
        }
        return out;
    }

    /** The names of the streams that stored it, sorted, each once. */
    public List<String> streamNames() {
        TreeSet<String> names = new TreeSet<>();
        storedIn().forEach(s -> names.add(s.stream()));
        return List.copyOf(names);
    }

    /** The streams that stored it on the system {@code nc} is connected to (its server, or any of its cluster). */
    public List<String> streamNamesOn(Connection nc) {
        TreeSet<String> names = new TreeSet<>();
        for (StoredIn s : storedIn()) {
            if (belongsTo(s.server(), nc)) {
                names.add(s.stream());
            }
        }
        return List.copyOf(names);
    }

    /** Whether the message reached any server of the system {@code nc} is connected to. */
    public boolean reaches(Connection nc) {
        return servers.stream().anyMatch(s -> belongsTo(s, nc));
    }

    /** How many client subscriptions received it (or would have, with trace-only). */
    public int clientDeliveries() {
        int n = 0;
        for (ServerTrace s : servers) {
            for (TraceEvent e : s.events()) {
                if (e.type() == TraceEvent.Type.EGRESS && e.kind() == TraceEvent.ConnectionKind.CLIENT
                        && e.error() == null) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Where a server stopped the message, as {@code "server: error"}. */
    public List<String> errors() {
        List<String> out = new ArrayList<>();
        for (ServerTrace s : servers) {
            for (TraceEvent e : s.events()) {
                if (e.error() != null) {
                    out.add(s.serverName() + ": " + e.error());
                }
            }
        }
        return out;
    }

    /**
     * Whether {@code server} is the server {@code nc} is connected to or in its cluster. Two systems must not share a
     * cluster name for this to tell them apart (they cannot be joined by a leaf node if they do anyway).
     */
    static boolean belongsTo(ServerTrace server, Connection nc) {
        ServerInfo info = nc.getServerInfo();
        if (info == null) {
            return false;
        }
        if (info.getServerId() != null && info.getServerId().equals(server.serverId())) {
            return true;
        }
        String cluster = info.getCluster();
        return cluster != null && !cluster.isEmpty() && cluster.equals(server.cluster());
    }

    /** The path, one line per server and event, for logs and problem reports. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("trace of ").append(subject).append(complete ? "" : " (incomplete)");
        for (ServerTrace s : servers) {
            b.append("\n  server ").append(s.serverName());
            if (s.cluster() != null) {
                b.append(" cluster ").append(s.cluster());
            }
            if (s.domain() != null) {
                b.append(" domain ").append(s.domain());
            }
            if (s.hop() != null) {
                b.append(" hop ").append(s.hop());
            }
            for (TraceEvent e : s.events()) {
                b.append("\n    ").append(e.type().code());
                if (e.kind() != null) {
                    b.append(' ').append(e.kind().name().toLowerCase(java.util.Locale.ROOT));
                }
                append(b, " ", e.name());
                append(b, " account ", e.account());
                append(b, " subject ", e.subject());
                append(b, " to ", e.to());
                append(b, " stream ", e.stream());
                if (e.noInterest()) {
                    b.append(" (no interest)");
                }
                append(b, " error ", e.error());
            }
        }
        return b.toString();
    }

    private static void append(StringBuilder b, String label, String value) {
        if (value != null && !value.isEmpty()) {
            b.append(label).append(value);
        }
    }
}
