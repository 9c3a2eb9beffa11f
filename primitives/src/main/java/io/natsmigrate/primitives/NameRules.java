package io.natsmigrate.primitives;

import java.util.regex.Pattern;

/**
 * The name rules in one place: what a token name (plan, phase, domain, KV bucket, DLQ stream) and a stream or
 * consumer name may contain. Each module turns a broken rule into its own typed exception.
 */
public final class NameRules {

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern STREAM = Pattern.compile("[^.*>\\s]+");

    private NameRules() {
    }

    /** Letters, digits, '_' and '-' only, not empty. */
    public static boolean isToken(String value) {
        return value != null && TOKEN.matcher(value).matches();
    }

    /** A stream or consumer name as NATS allows it: not empty, no '.', '*', '>' or whitespace. */
    public static boolean isStreamName(String value) {
        return value != null && STREAM.matcher(value).matches();
    }
}
