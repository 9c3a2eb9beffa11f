package io.natsmigrate.core;

import io.natsmigrate.primitives.NameRules;

/**
 * Validation of the names a plan is built from, so every recipe rejects a bad name the same way: with an
 * {@link InvalidPlanException} naming the element and the rule (the rules themselves are {@link NameRules}).
 */
public final class Names {

    private Names() {
    }

    /**
     * A plan, phase or JetStream domain name: letters, digits, '_' and '-'.
     *
     * @param what what the name is, e.g. {@code "phase"}, for the message
     * @throws InvalidPlanException when {@code value} is null, empty or has another character
     */
    public static String requireToken(String what, String value) {
        if (!NameRules.isToken(value)) {
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
        if (!NameRules.isStreamName(value)) {
            throw new InvalidPlanException(what + " \"" + value + "\"", what + " names cannot be empty or contain"
                    + " '.', '*', '>' or whitespace");
        }
        return value;
    }
}
