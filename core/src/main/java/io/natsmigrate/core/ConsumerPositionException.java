package io.natsmigrate.core;

/**
 * A consumer's position on the old system could not be carried to the new one. The old consumer has been
 * resumed, so its service can go on; the message says why and what to do before applying again.
 */
public class ConsumerPositionException extends MigrationException {

    public ConsumerPositionException(String message) {
        super(message);
    }
}
