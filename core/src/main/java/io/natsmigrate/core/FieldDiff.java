package io.natsmigrate.core;

/**
 * One field whose live value differs from the desired one.
 *
 * @param field the JSON field name of the JetStream configuration (e.g. {@code max_msgs})
 * @param desired what the plan wants
 * @param live what the server has
 */
public record FieldDiff(String field, Object desired, Object live) {

    @Override
    public String toString() {
        return field + ": " + Readable.value(field, live) + " -> " + Readable.value(field, desired);
    }
}
