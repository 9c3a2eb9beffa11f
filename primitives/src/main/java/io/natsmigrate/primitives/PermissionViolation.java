package io.natsmigrate.primitives;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A permissions violation the server reported for a connection: nats-server sends it only as a protocol
 * {@code -ERR} line ({@code Permissions Violation for Publish to "x"}), which jnats keeps as the connection's last
 * error text, so this is the one place that reads server text.
 *
 * @param kind        what was denied
 * @param subject     the subject it was denied on
 * @param serverError the server's words
 */
public record PermissionViolation(Kind kind, String subject, String serverError) {

    private static final Pattern TEXT =
            Pattern.compile("Permissions Violation for (Publish|Subscription) to \"([^\"]+)\"");

    /** What a user may be denied. */
    public enum Kind {
        /** Publishing (or sending a request) on a subject. */
        PUBLISH("publish to"),
        /** Subscribing to a subject (for replies: the connection's inbox). */
        SUBSCRIBE("subscribe to");

        private final String verb;

        Kind(String verb) {
            this.verb = verb;
        }

        /** The permission as a phrase, e.g. "publish to". */
        public String verb() {
            return verb;
        }
    }

    /** The violation in a server error text, if it is one. */
    public static Optional<PermissionViolation> parse(String serverError) {
        if (serverError == null) {
            return Optional.empty();
        }
        Matcher m = TEXT.matcher(serverError);
        if (!m.find()) {
            return Optional.empty();
        }
        Kind kind = m.group(1).equals("Publish") ? Kind.PUBLISH : Kind.SUBSCRIBE;
        return Optional.of(new PermissionViolation(kind, m.group(2), serverError));
    }
}
