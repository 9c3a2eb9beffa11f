package io.natsmigrate.testkit;

/** No provisioned RabbitMQ was found; the message says where the testkit looked and the command that provisions it. */
public class RabbitMqNotFoundException extends IllegalStateException {

    public RabbitMqNotFoundException(String message) {
        super(message);
    }
}
