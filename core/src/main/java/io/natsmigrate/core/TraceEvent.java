package io.natsmigrate.core;

/**
 * One thing a server did with a traced message (nats-server 2.11 message tracing, ADR-41). Fields a type does not
 * carry are null.
 *
 * @param type       what happened
 * @param kind       the connection the message came in on or left by (ingress and egress), else null
 * @param name       that connection's name: a client's name, or the remote server's for routes, gateways and leaf
 *                   nodes
 * @param account    the account it happened in (ingress, stream export, service import)
 * @param subject    the subject it arrived on (ingress), the subscription that matched (egress to a client), or the
 *                   subject a stream stored it under (JetStream)
 * @param to         the subject after a mapping or import
 * @param stream     the stream that stored it, or would have with trace-only (JetStream)
 * @param noInterest an interest-retention stream did not keep it because nobody was interested
 * @param error      why the server stopped the message here (permissions, a full stream, ...), or null
 */
public record TraceEvent(Type type, ConnectionKind kind, String name, String account, String subject, String to,
                         String stream, boolean noInterest, String error) {

    /** The event types of ADR-41, by their wire codes. */
    public enum Type {
        INGRESS("in"), SUBJECT_MAPPING("sm"), STREAM_EXPORT("se"), SERVICE_IMPORT("si"), JETSTREAM("js"),
        EGRESS("eg"), UNKNOWN("");

        private final String code;

        Type(String code) {
            this.code = code;
        }

        /** The wire code ({@code "in"}, {@code "js"}, ...). */
        public String code() {
            return code;
        }

        static Type of(String code) {
            for (Type t : values()) {
                if (t != UNKNOWN && t.code.equals(code)) {
                    return t;
                }
            }
            return UNKNOWN;
        }
    }

    /** nats-server's connection kinds, by their wire numbers. */
    public enum ConnectionKind {
        CLIENT, ROUTER, GATEWAY, SYSTEM, LEAF, JETSTREAM, ACCOUNT;

        static ConnectionKind of(int kind) {
            return kind >= 0 && kind < values().length ? values()[kind] : null;
        }

        /** A link to another server (route, gateway or leaf node). */
        public boolean isServerLink() {
            return this == ROUTER || this == GATEWAY || this == LEAF;
        }
    }

    /** A stream stored (or, with trace-only, would have stored) the message here. */
    public boolean stored() {
        return type == Type.JETSTREAM && stream != null && error == null && !noInterest;
    }
}
