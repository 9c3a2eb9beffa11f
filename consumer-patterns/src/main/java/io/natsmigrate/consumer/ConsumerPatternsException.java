package io.natsmigrate.consumer;

/** Base of this module's configuration and state errors; the message names the resource and the fix. */
public class ConsumerPatternsException extends RuntimeException {

    public ConsumerPatternsException(String message) {
        super(message);
    }

    public ConsumerPatternsException(String message, Throwable cause) {
        super(message, cause);
    }
}
