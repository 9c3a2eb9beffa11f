package io.natsmigrate.reliable;

/**
 * {@link ReliablePublisher#close()} ended with messages still unconfirmed. Their futures have failed with
 * {@link PublisherClosedException}; {@link #report()} lists them so they can be re-published with their Msg-Ids.
 */
public class UnconfirmedMessagesException extends ReliablePublishException {

    private final FlushReport report;

    public UnconfirmedMessagesException(FlushReport report) {
        super(report.unconfirmed().size() + " message(s) were unconfirmed when the publisher closed: "
                + report.unconfirmed().stream().limit(10).map(u -> u.msgId() + "@" + u.subject()).toList()
                + (report.unconfirmed().size() > 10 ? " ..." : "")
                + ". Re-publish them with the same Msg-Ids within the duplicate window", null, null, 0, null);
        this.report = report;
    }

    public FlushReport report() {
        return report;
    }
}
