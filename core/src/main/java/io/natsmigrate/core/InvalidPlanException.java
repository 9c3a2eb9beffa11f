package io.natsmigrate.core;

/** A plan that cannot be built: the message names the offending element (phase, step, stream, consumer). */
public class InvalidPlanException extends MigrationException {

    private final String element;

    public InvalidPlanException(String element, String message) {
        super("Invalid plan element " + element + ": " + message);
        this.element = element;
    }

    /** The offending element, e.g. {@code phase "cutover"} or {@code stream ORDERS}. */
    public String element() {
        return element;
    }
}
