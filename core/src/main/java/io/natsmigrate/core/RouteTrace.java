package io.natsmigrate.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.natsmigrate.primitives.Durations;
import io.natsmigrate.primitives.ServerFeature;
import io.natsmigrate.primitives.ServerTooOldException;
import io.natsmigrate.primitives.Subjects;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * Shows where a message published on a subject actually goes, by nats-server 2.11's message tracing: a message
 * with {@code Nats-Trace-Dest} makes every server it passes report what it did (ingress, subject mappings,
 * imports and exports, route, gateway and leaf node hops, deliveries, and the streams that store it). With
 * trace-only (the default) the servers report where it would go but deliver it to no subscriber and store it in
 * no stream, so a trace is safe on a live system.
 *
 * <pre>{@code
 * TracedRoute route = RouteTrace.on(nc).trace("orders.new");
 * route.streamNames();      // [ORDERS]
 * route.reaches(otherSystem); // false
 * }</pre>
 *
 * What a trace cannot show: paths that need interest nobody has yet (servers forward only what someone downstream
 * subscribed to), and the inside of another account unless its import or export sets {@code allow_trace}. A
 * trace-only message does not cross a link to a server older than 2.11; such a path shows as
 * {@link TracedRoute#complete() incomplete} or ends there.
 */
public final class RouteTrace {

    /** The header that asks for a trace and names where the reports go. */
    public static final String TRACE_DEST_HEADER = "Nats-Trace-Dest";
    /** The header that makes a trace report without delivering or storing. */
    public static final String TRACE_ONLY_HEADER = "Nats-Trace-Only";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Connection nc;
    private boolean traceOnly = true;
    private Duration timeout = Duration.ofSeconds(2);
    private Headers headers;
    private byte[] payload = new byte[0];
    private final List<Connection> listeners = new ArrayList<>();

    private RouteTrace(Connection nc) {
        this.nc = nc;
    }

    /**
     * Traces from the server {@code nc} is connected to, with its permissions.
     *
     * @throws ServerTooOldException when that server is older than 2.11 (it would deliver the message as a plain
     *                               one, trace headers and all)
     * @throws IllegalStateException when the connection is closed
     */
    public static RouteTrace on(Connection nc) {
        Objects.requireNonNull(nc, "connection");
        if (nc.getStatus() == Connection.Status.CLOSED) {
            throw new IllegalStateException("The connection is closed: trace from an open connection");
        }
        ServerFeature.MESSAGE_TRACE.requireSupportedBy(nc);
        return new RouteTrace(nc);
    }

    /**
     * Whether the servers only report (default true). With false the message is also delivered and stored like any
     * other, so subscribers see it: use it only on subjects where a test message is harmless.
     */
    public RouteTrace traceOnly(boolean only) {
        this.traceOnly = only;
        return this;
    }

    /**
     * How long to wait for the reports of every server on the path (default 2 s). A trace returns as soon as every
     * server the message was forwarded to has reported.
     */
    public RouteTrace timeout(Duration timeout) {
        this.timeout = Durations.requirePositive("timeout", timeout);
        return this;
    }

    /**
     * Also collects reports on other systems. Each server publishes its report where it is, and the report travels
     * back only along interest: a leaf node that joins two systems passes the message on but not the reports of
     * the far system's servers (checked on 2.15.1), so to see whether a message leaks into another system, listen
     * on that system too.
     */
    public RouteTrace alsoListenOn(Connection... others) {
        for (Connection other : others) {
            listeners.add(Objects.requireNonNull(other, "connection"));
        }
        return this;
    }

    /** Headers to send with the traced message, e.g. ones a subject mapping or a stream's checks look at. */
    public RouteTrace headers(Headers headers) {
        this.headers = Objects.requireNonNull(headers, "headers");
        return this;
    }

    /** The traced message's payload (default empty); its size matters for size limits on the path. */
    public RouteTrace payload(byte[] payload) {
        this.payload = Objects.requireNonNull(payload, "payload").clone();
        return this;
    }

    /**
     * Publishes one traced message on {@code subject} and collects the servers' reports.
     *
     * @throws IllegalArgumentException if {@code subject} has wildcards or is malformed
     * @throws TimeoutException         if no server reported at all within the timeout (the connection's user
     *                                  may not subscribe to its inbox, or the connection is down)
     */
    public TracedRoute trace(String subject) throws IOException, InterruptedException, TimeoutException {
        Subjects.requirePublishSubject(subject);
        String inbox = nc.createInbox();
        java.util.concurrent.LinkedBlockingQueue<Message> reports = new java.util.concurrent.LinkedBlockingQueue<>();
        List<Dispatcher> dispatchers = new ArrayList<>();
        List<Connection> all = new ArrayList<>(listeners);
        all.add(0, nc);
        try {
            for (Connection c : all) {
                Dispatcher d = c.createDispatcher(reports::add);
                dispatchers.add(d);
                d.subscribe(inbox);
                c.flush(timeout);
            }
            Headers h = new Headers();
            if (headers != null) {
                headers.forEach((k, v) -> h.put(k, v));
            }
            h.put(TRACE_DEST_HEADER, inbox);
            if (traceOnly) {
                h.put(TRACE_ONLY_HEADER, "true");
            }
            nc.publish(NatsMessage.builder().subject(subject).headers(h).data(payload).build());
            return collect(subject, reports);
        } finally {
            for (int i = 0; i < dispatchers.size(); i++) {
                all.get(i).closeDispatcher(dispatchers.get(i));
            }
        }
    }

    /**
     * Reads reports until every forwarded hop has reported: the publisher's server (the one report without a hop)
     * says how many servers it forwarded to, and so does each of them, so the path is complete when that report is
     * in and the reports number one plus all forwards. Reports arrive in any order.
     */
    private TracedRoute collect(String subject, java.util.concurrent.BlockingQueue<Message> queue)
            throws IOException, InterruptedException, TimeoutException {
        List<ServerTrace> reports = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        int expected = 1;
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean origin = false;
        while (!origin || reports.size() < expected) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            Message m = queue.poll(left, java.util.concurrent.TimeUnit.NANOSECONDS);
            if (m == null) {
                break;
            }
            ServerTrace report = parse(m.getData());
            if (!seen.add(report.serverId() + "/" + report.hop())) {
                continue; // the same report through two of the listening connections
            }
            reports.add(report);
            expected += report.forwards();
            origin |= report.hop() == null;
        }
        if (reports.isEmpty()) {
            throw new TimeoutException("No server reported a trace of " + subject + " within " + timeout + ": check"
                    + " that the connection is up and its user may subscribe to _INBOX.>");
        }
        // The publisher's server first, then by hop ("1", "1.1", "2").
        reports.sort(RouteTrace::byHop);
        return new TracedRoute(subject, reports, origin && reports.size() >= expected);
    }

    private static int byHop(ServerTrace a, ServerTrace b) {
        String[] x = a.hop() == null ? new String[0] : a.hop().split("\\.");
        String[] y = b.hop() == null ? new String[0] : b.hop().split("\\.");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = Integer.compare(number(x[i]), number(y[i]));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }

    private static int number(String token) {
        try {
            return Integer.parseInt(token);
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    static ServerTrace parse(byte[] json) throws IOException {
        JsonNode root = JSON.readTree(json);
        JsonNode server = root.path("server");
        JsonNode hopHeader = root.path("request").path("header").path("Nats-Trace-Hop");
        String hop = hopHeader.isArray() && hopHeader.size() > 0 ? hopHeader.get(0).asText() : null;
        List<TraceEvent> events = new ArrayList<>();
        for (JsonNode e : root.path("events")) {
            TraceEvent.Type type = TraceEvent.Type.of(e.path("type").asText());
            TraceEvent.ConnectionKind kind = e.has("kind") ? TraceEvent.ConnectionKind.of(e.get("kind").asInt())
                    : null;
            String subject = type == TraceEvent.Type.EGRESS ? text(e, "sub") : text(e, "subj", "subject");
            events.add(new TraceEvent(type, kind, text(e, "name"), text(e, "acc", "account"), subject,
                    text(e, "to"), text(e, "stream"), e.path("nointerest").asBoolean(false), text(e, "error")));
        }
        return new ServerTrace(text(server, "name"), text(server, "id"), text(server, "cluster"),
                text(server, "domain"), text(server, "ver"), hop, root.path("hops").asInt(0), events);
    }

    private static String text(JsonNode node, String... names) {
        for (String n : names) {
            JsonNode v = node.get(n);
            if (v != null && !v.isNull() && !v.asText().isEmpty()) {
                return v.asText();
            }
        }
        return null;
    }
}
