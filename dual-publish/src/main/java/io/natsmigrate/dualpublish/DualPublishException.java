package io.natsmigrate.dualpublish;

/** Base of the dual publisher's configuration and state errors; the message says what to fix. */
public class DualPublishException extends RuntimeException {

    public DualPublishException(String message) {
        super(message);
    }

    public DualPublishException(String message, Throwable cause) {
        super(message, cause);
    }
}
