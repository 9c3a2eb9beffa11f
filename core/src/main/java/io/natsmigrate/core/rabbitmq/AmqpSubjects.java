package io.natsmigrate.core.rabbitmq;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * AMQP routing keys and binding patterns as NATS subjects and filters.
 *
 * <p>A message published to exchange {@code E} with routing key {@code k} goes to
 * {@code <prefix>.<E>.<k's words>}: each dot-separated word of the key becomes one subject token. Characters a
 * NATS token cannot carry are percent-escaped byte by byte ({@code %2E} for a dot inside the exchange name,
 * {@code %2A} for a literal {@code *}, {@code %3E}, {@code %25} for {@code %} itself, {@code %20} and other
 * whitespace and control characters); an empty word becomes a lone {@code %}. The empty routing key is no word
 * at all, as RabbitMQ's topic matching treats it, so its subject is {@code <prefix>.<E>} alone. So every key gives
 * a valid subject, and different keys give different subjects.
 *
 * <p>Topic binding patterns: {@code *} (one word) becomes {@code *}; a trailing {@code #} (zero or more words)
 * becomes two filters, the prefix alone and the prefix followed by {@code >}, because NATS {@code >} needs at
 * least one token. {@code #} anywhere but last has no NATS equivalent ({@code >} must be last); consecutive
 * {@code #} words collapse first ({@code a.#.#} is {@code a.#}).
 */
public final class AmqpSubjects {

    /** How the default exchange appears in subjects (its name in the management UI). */
    public static final String DEFAULT_EXCHANGE = "amq.default";

    private AmqpSubjects() {
    }

    /** The subject for a message published to {@code exchange} ("" is the default exchange) with {@code key}. */
    public static String subject(String prefix, String exchange, String routingKey) {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(exchange, "exchange");
        Objects.requireNonNull(routingKey, "routingKey");
        return join(prefix + "." + word(exchange.isEmpty() ? DEFAULT_EXCHANGE : exchange), key(routingKey));
    }

    /**
     * {@code base} followed by {@code tokens}: a key's tokens or a relative filter from {@link #topicFilters}, where
     * "" (the empty key, no word) adds nothing.
     */
    public static String join(String base, String tokens) {
        return tokens.isEmpty() ? base : base + "." + tokens;
    }

    /**
     * A routing key as subject tokens (no prefix): each word escaped, {@code *} and {@code #} literal; "" for the
     * empty key (see {@link #join}).
     */
    public static String key(String routingKey) {
        Objects.requireNonNull(routingKey, "routingKey");
        StringBuilder sb = new StringBuilder();
        for (String w : words(routingKey)) {
            sb.append(sb.length() == 0 ? "" : ".").append(word(w));
        }
        return sb.toString();
    }

    /**
     * The NATS filters for a topic binding pattern (no prefix; "" stands for the exchange's subject with no key
     * word, see {@link #join}), or empty when the pattern has no NATS equivalent ({@code #} before the last word).
     */
    public static Optional<List<String>> topicFilters(String pattern) {
        Objects.requireNonNull(pattern, "pattern");
        List<String> ws = new ArrayList<>();
        for (String w : words(pattern)) {
            if (w.equals("#") && !ws.isEmpty() && ws.get(ws.size() - 1).equals("#")) {
                continue;
            }
            ws.add(w);
        }
        int hash = ws.indexOf("#");
        if (hash >= 0 && hash != ws.size() - 1) {
            return Optional.empty();
        }
        StringBuilder base = new StringBuilder();
        int literalEnd = hash >= 0 ? hash : ws.size();
        for (int i = 0; i < literalEnd; i++) {
            String w = ws.get(i);
            base.append(i == 0 ? "" : ".").append(w.equals("*") ? "*" : word(w));
        }
        if (hash < 0) {
            return Optional.of(List.of(base.toString()));
        }
        if (base.length() == 0) {
            return Optional.of(List.of("", ">")); // '#' alone: the empty key too
        }
        return Optional.of(List.of(base.toString(), base + ".>"));
    }

    /**
     * Whether an AMQP topic exchange routes {@code routingKey} to a binding with {@code pattern}: words split on
     * dots (the empty key is no word; {@code "a."} is two), {@code *} matches exactly one word, {@code #} zero or more. The
     * reference the translation is tested against.
     */
    public static boolean topicMatches(String pattern, String routingKey) {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(routingKey, "routingKey");
        return match(words(pattern), 0, words(routingKey), 0);
    }

    private static boolean match(List<String> p, int i, List<String> k, int j) {
        if (i == p.size()) {
            return j == k.size();
        }
        String w = p.get(i);
        if (w.equals("#")) {
            for (int skip = j; skip <= k.size(); skip++) {
                if (match(p, i + 1, k, skip)) {
                    return true;
                }
            }
            return false;
        }
        if (j == k.size()) {
            return false;
        }
        return (w.equals("*") || w.equals(k.get(j))) && match(p, i + 1, k, j + 1);
    }

    static List<String> words(String key) {
        List<String> out = new ArrayList<>();
        if (key.isEmpty()) {
            return out;
        }
        int start = 0;
        for (int i = 0; i <= key.length(); i++) {
            if (i == key.length() || key.charAt(i) == '.') {
                out.add(key.substring(start, i));
                start = i + 1;
            }
        }
        return out;
    }

    /** One word as one subject token. */
    static String word(String w) {
        if (w.isEmpty()) {
            return "%";
        }
        StringBuilder sb = new StringBuilder();
        w.codePoints().forEach(cp -> {
            if (cp == '.' || cp == '*' || cp == '>' || cp == '%' || Character.isWhitespace(cp)
                    || Character.isISOControl(cp) || Character.isSpaceChar(cp) || cp == 0xFFFD
                    || Character.getType(cp) == Character.FORMAT || Character.getType(cp) == Character.SURROGATE) {
                for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                    sb.append('%').append(String.format("%02X", b & 0xff));
                }
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.toString();
    }
}
