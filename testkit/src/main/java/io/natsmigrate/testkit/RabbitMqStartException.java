package io.natsmigrate.testkit;

/** RabbitMQ did not come up; the message ends with the last lines it printed. */
public class RabbitMqStartException extends RuntimeException {

    public RabbitMqStartException(String message, String logTail, Throwable cause) {
        super(message + "\n--- RabbitMQ output ---\n" + logTail, cause);
    }
}
