package io.natsmigrate.testkit;

/**
 * No usable nats-server binary was found. The message lists every place that was looked at and how to
 * provision one.
 */
public class NatsServerNotFoundException extends IllegalStateException {

    public NatsServerNotFoundException(String message) {
        super(message);
    }
}
