package io.natsmigrate.reliable;

/** Fail-fast backpressure: the in-flight window is full. Nothing was sent; try again later or slow down. */
public class InFlightLimitException extends ReliablePublishException {

    public InFlightLimitException(String subject, int maxInFlight) {
        super("The in-flight window of " + maxInFlight + " unacknowledged messages is full; the message to \""
                + subject + "\" was not sent. Slow down, flush, or use Backpressure.BLOCK", subject, null, 0, null);
    }
}
