package io.natsmigrate.reliable;

import java.time.Duration;

/**
 * The retry deadline is longer than the stream's {@code duplicate_window}: a retry after the window would be
 * stored as a second copy. Raise the stream's duplicate window or shorten the retry deadline.
 */
public class DedupWindowTooShortException extends ReliablePublishException {

    private final String stream;
    private final Duration duplicateWindow;
    private final Duration retryDeadline;

    public DedupWindowTooShortException(String stream, Duration duplicateWindow, Duration retryDeadline) {
        super("Stream " + stream + " keeps Msg-Ids for " + duplicateWindow + " (duplicate_window) but the retry"
                + " deadline is " + retryDeadline + ": a retry after the window would store a duplicate. Raise the"
                + " stream's duplicate_window to at least " + retryDeadline + ", shorten RetryPolicy.deadline, or"
                + " choose DedupWindowCheck.WARN to accept the risk", null, null, 0, null);
        this.stream = stream;
        this.duplicateWindow = duplicateWindow;
        this.retryDeadline = retryDeadline;
    }

    public String stream() {
        return stream;
    }

    public Duration duplicateWindow() {
        return duplicateWindow;
    }

    public Duration retryDeadline() {
        return retryDeadline;
    }
}
