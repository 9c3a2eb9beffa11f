package io.natsmigrate.consumer;

import java.time.Duration;

/** A consumer still had messages pending or awaiting acks when the drain wait ended. */
public class DrainTimeoutException extends ConsumerPatternsException {

    private final long numPending;
    private final long numAckPending;

    public DrainTimeoutException(String stream, String consumer, Duration timeout, long numPending, long numAckPending) {
        super("Consumer " + stream + " > " + consumer + " not drained within " + timeout + ": num_pending="
                + numPending + ", num_ack_pending=" + numAckPending + ". Keep its subscribers running (or check why"
                + " they do not ack) and wait again");
        this.numPending = numPending;
        this.numAckPending = numAckPending;
    }

    public long numPending() {
        return numPending;
    }

    public long numAckPending() {
        return numAckPending;
    }
}
