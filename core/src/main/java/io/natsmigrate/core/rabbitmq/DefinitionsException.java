package io.natsmigrate.core.rabbitmq;

import io.natsmigrate.core.MigrationException;

/** A RabbitMQ definitions export could not be read or does not describe what was asked for. */
public class DefinitionsException extends MigrationException {

    public DefinitionsException(String message) {
        super(message);
    }

    public DefinitionsException(String message, Throwable cause) {
        super(message, cause);
    }
}
