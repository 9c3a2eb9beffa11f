package io.natsmigrate.core;

import java.util.regex.Pattern;

/**
 * Validation of the names a plan is built from, so every recipe rejects a bad name the same way: with an
 * {@link InvalidPlanException} naming the element and the rule.
 */
public final class Names {

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern STREAM = Pattern.compile("[^.*>\\s]+");

    private Names() {
    }

    /**
     * A plan, phase or JetStream domain name: letters, digits, '_' and '-'.
     *
     * @param what what the name is, e.g. {@code "phase"}, for the message
     * @throws InvalidPlanException when {@code value} is null, empty or has another character
     */
    public static String requireToken(String what, String value) {
        if (value == null || !TOKEN.matcher(value).matches()) {
            throw new InvalidPlanException(what + " \"" + value + "\"", "use letters, digits, '_' and '-' only");
        }
        return value;
    }

    /**
     * A stream or consumer name as NATS allows it: not empty, no '.', '*', '>' or whitespace.
     *
     * @param what what the name is, e.g. {@code "stream"}, for the message
     * @throws InvalidPlanException when {@code value} is null, empty or has a forbidden character
     */
    public static String requireStreamName(String what, String value) {
        if (value == null || !STREAM.matcher(value).matches()) {
            throw new InvalidPlanException(what + " \"" + value + "\"", what + " names cannot be empty or contain"
                    + " '.', '*', '>' or whitespace");
        }
        return value;
    }
}
