package io.natsmigrate.core;

import java.time.Duration;

/** A gate did not pass within its timeout; the plan stopped before the gated phase or step. */
public class GateTimeoutException extends MigrationException {

    private final String gate;
    private final String lastDetail;

    public GateTimeoutException(String gate, Duration timeout, String lastDetail) {
        super("Gate \"" + gate + "\" did not pass within " + timeout + " (last check: " + lastDetail + "). The plan"
                + " stopped there; fix the condition and apply again");
        this.gate = gate;
        this.lastDetail = lastDetail;
    }

    public String gate() {
        return gate;
    }

    /** What the gate reported on its last evaluation. */
    public String lastDetail() {
        return lastDetail;
    }
}
