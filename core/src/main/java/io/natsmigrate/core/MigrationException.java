package io.natsmigrate.core;

/** Base of the migration engine's failures. Messages name the plan element and what to do. */
public class MigrationException extends RuntimeException {

    public MigrationException(String message) {
        super(message);
    }

    public MigrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
