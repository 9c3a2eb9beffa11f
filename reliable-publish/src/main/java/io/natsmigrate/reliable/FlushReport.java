package io.natsmigrate.reliable;

import java.util.List;

/**
 * The outcome of {@link ReliablePublisher#flush}: which messages were still unconfirmed when it returned.
 *
 * @param unconfirmed messages without an ack yet
 */
public record FlushReport(List<UnconfirmedMessage> unconfirmed) {

    public FlushReport {
        unconfirmed = List.copyOf(unconfirmed);
    }

    /** True when every message published so far is confirmed or has failed with an exception. */
    public boolean allConfirmed() {
        return unconfirmed.isEmpty();
    }
}
