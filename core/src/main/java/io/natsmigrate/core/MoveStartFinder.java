package io.natsmigrate.core;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import io.natsmigrate.primitives.JetStreamErrorCodes;
import io.natsmigrate.primitives.MessageIdentity;

import static io.nats.client.support.NatsJetStreamConstants.MSG_ID_HDR;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds where a moved consumer starts on the new stream so that no message the old consumer has not processed is
 * behind the start, whatever order the two systems stored concurrent publishes in.
 *
 * <p>Two systems store messages from several connections in slightly different orders (the old stream and the
 * leaf clone each see them arrive on their own connections). So the first unprocessed message on the old side is
 * not always the first of the unprocessed ones on the new side. The rule, with the old consumer paused and
 * drained to its ack floor {@code F}:
 * <ol>
 *   <li>Wait until the bridge has delivered all it captured and read the last sequence {@code E} on the filter on
 *       the new stream.</li>
 *   <li>Wait the reorder window, so that any message the new side holds at or before {@code E} is stored on the old
 *       side too, then read the first {@code horizon} messages after {@code F} on the old side: the unprocessed
 *       set {@code W}.</li>
 *   <li>Read the new stream forward on the filter from shortly before the first of {@code W} (by time) until the
 *       first of {@code W} and every message up to {@code E} has been seen. The start is the lowest new sequence of
 *       any message in {@code W}, and never after {@code E + 1}: a message the new side holds after {@code E}
 *       either is unprocessed or arrived after the pause.</li>
 *   <li>Messages at or after the start, up to {@code E}, that are not in {@code W} were processed on the old side:
 *       they are returned so the caller can record them for an idempotent service.</li>
 * </ol>
 * The rule assumes the two orders displace a message by fewer than half of {@code horizon} positions and the two
 * systems store a message less than the reorder window apart; both are settings of {@link CrossSystemRecipe}.
 */
final class MoveStartFinder {

    /** How far before the first unprocessed message's time the scan of the new stream begins (clock skew). */
    private static final Duration SCAN_MARGIN = Duration.ofMinutes(1);
    private static final long POLL_MILLIS = 50;

    private final JetStreamManagement oldJsm;
    private final JetStreamManagement newJsm;
    private final String stream;
    private final List<String> filters;
    private final int horizon;
    private final Duration reorderWindow;
    private final Duration timeout;
    private final StepContext ctx;

    /** The outcome: {@link #PREDATES_BRIDGE} when the first unprocessed message is not on the new stream. */
    record Start(long sequence, int unprocessedRead, int reorderedAhead, List<String> processedMsgIds) {
    }

    static final Start PREDATES_BRIDGE = new Start(0, 0, 0, List.of());

    MoveStartFinder(JetStreamManagement oldJsm, JetStreamManagement newJsm, String stream, List<String> filters,
                    int horizon, Duration reorderWindow, Duration timeout, StepContext ctx) {
        this.oldJsm = oldJsm;
        this.newJsm = newJsm;
        this.stream = stream;
        this.filters = filters.isEmpty() ? List.of(">") : filters;
        this.horizon = horizon;
        this.reorderWindow = reorderWindow;
        this.timeout = timeout;
        this.ctx = ctx;
    }

    Start find(long ackFloor) throws Exception {
        awaitBridgeDelivered();
        long lastBefore = lastOnFilter();
        Thread.sleep(reorderWindow.toMillis());
        awaitBridgeDelivered();

        List<MessageInfo> unprocessed = readUnprocessed(ackFloor);
        if (unprocessed.isEmpty()) {
            // Everything on the old side is processed; anything the new side holds after lastBefore is newer.
            return new Start(lastBefore + 1, 0, 0, List.of());
        }
        Set<MessageIdentity> wanted = new HashSet<>();
        unprocessed.forEach(m -> wanted.add(identity(m)));
        MessageIdentity first = identity(unprocessed.get(0));

        MessageInfo from = firstAtOrAfter(unprocessed.get(0).getTime().minus(SCAN_MARGIN));
        if (from == null) {
            return PREDATES_BRIDGE;
        }
        long start = 0;
        long firstAt = 0;
        int reorderedAhead = 0;
        // Candidates for "processed on the old side": seen at or after the start, up to lastBefore, not wanted.
        List<MessageInfo> others = new ArrayList<>();
        boolean complete = unprocessed.size() < horizon;
        // A set cut short by the horizon vouches only for what lies before its middle member (processedAfterStart).
        MessageIdentity middle = complete ? null : identity(unprocessed.get(unprocessed.size() / 2));
        long middleAt = 0;
        long deadline = System.nanoTime() + timeout.toNanos();
        long endSeenAt = 0;
        long seq = from.getSeq();
        while (firstAt == 0 || (complete ? seq <= lastBefore : middleAt == 0)) {
            MessageInfo m = nextStored(newJsm, seq);
            if (m == null) {
                if (bridgeDelivered()) {
                    if (firstAt != 0) {
                        break;
                    }
                    // It may have reached the old stream just now: give it the reorder window to arrive here too.
                    endSeenAt = endSeenAt == 0 ? System.nanoTime() : endSeenAt;
                    if (System.nanoTime() - endSeenAt > reorderWindow.toNanos()) {
                        return PREDATES_BRIDGE; // the first unprocessed message never reached the new stream
                    }
                    Thread.sleep(POLL_MILLIS);
                    continue;
                }
                if (System.nanoTime() > deadline) {
                    throw new ConsumerPositionException("The new stream " + stream + " still lags behind the bridge "
                            + timeout + " after the consumer was paused: check the leaf connection and the stream's"
                            + " source info, then apply again; the old consumer has been resumed");
                }
                Thread.sleep(POLL_MILLIS);
                continue;
            }
            MessageIdentity id = identity(m);
            if (id.equals(middle)) {
                middleAt = m.getSeq();
            }
            if (wanted.contains(id)) {
                if (start == 0) {
                    start = m.getSeq();
                }
                if (id.equals(first)) {
                    firstAt = m.getSeq();
                } else if (firstAt == 0) {
                    reorderedAhead++;
                }
            } else if (start > 0) {
                others.add(m);
            }
            seq = m.getSeq() + 1;
        }
        if (start == 0 || start > lastBefore + 1) {
            start = lastBefore + 1;
        }
        long certainUpTo = complete ? lastBefore : (middleAt > 0 ? middleAt : firstAt) - 1;
        List<String> processed = processedAfterStart(others, start, certainUpTo);
        return new Start(start, unprocessed.size(), reorderedAhead, processed);
    }

    /**
     * Msg-Ids of messages from the start up to {@code certainUpTo} that were processed on the old side: those that
     * are not among the unprocessed ones. With the whole unprocessed set read, that holds up to the last message the
     * new side had before the reorder window. With a set cut short by the horizon, a message not in the set may also
     * be an unprocessed one past the horizon; before the set's middle member on the new side it cannot be, as long
     * as no message is displaced by half the horizon.
     */
    private static List<String> processedAfterStart(List<MessageInfo> others, long start, long certainUpTo) {
        Set<String> ids = new LinkedHashSet<>();
        for (MessageInfo m : others) {
            String msgId = m.getHeaders() == null ? null : m.getHeaders().getFirst(MSG_ID_HDR);
            if (m.getSeq() >= start && m.getSeq() <= certainUpTo && msgId != null && !msgId.isEmpty()) {
                ids.add(msgId);
            }
        }
        return List.copyOf(ids);
    }

    private List<MessageInfo> readUnprocessed(long ackFloor) throws Exception {
        List<MessageInfo> out = new ArrayList<>();
        long seq = ackFloor + 1;
        while (out.size() < horizon) {
            MessageInfo m = nextStored(oldJsm, seq);
            if (m == null) {
                break;
            }
            out.add(m);
            seq = m.getSeq() + 1;
        }
        return out;
    }

    private MessageInfo firstAtOrAfter(ZonedDateTime time) throws Exception {
        ctx.countRead();
        try {
            return newJsm.getFirstMessage(stream, time);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == JetStreamErrorCodes.NO_MESSAGE_FOUND) {
                return null;
            }
            throw e;
        }
    }

    /** The first message at or after {@code from} on any of the filters. */
    private MessageInfo nextStored(JetStreamManagement jsm, long from) throws Exception {
        MessageInfo first = null;
        for (String filter : filters) {
            ctx.countRead();
            try {
                MessageInfo mi = jsm.getNextMessage(stream, from, filter);
                if (first == null || mi.getSeq() < first.getSeq()) {
                    first = mi;
                }
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() != JetStreamErrorCodes.NO_MESSAGE_FOUND) {
                    throw e;
                }
            }
        }
        return first;
    }

    /** The last sequence on the filters on the new side (0: none there). */
    private long lastOnFilter() throws Exception {
        long last = 0;
        for (String filter : filters) {
            ctx.countRead();
            try {
                last = Math.max(last, newJsm.getLastMessage(stream, filter).getSeq());
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() != JetStreamErrorCodes.NO_MESSAGE_FOUND) {
                    throw e;
                }
            }
        }
        return last;
    }

    private void awaitBridgeDelivered() throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!bridgeDelivered()) {
            if (System.nanoTime() > deadline) {
                throw new ConsumerPositionException("The new stream " + stream + " still lags behind the bridge "
                        + timeout + " after the consumer was paused: check the leaf connection and the stream's"
                        + " source info, then apply again; the old consumer has been resumed");
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** Whether every source of the new stream has copied all it has seen (lag 0). */
    boolean bridgeDelivered() throws Exception {
        ctx.countRead();
        return newJsm.getStreamInfo(stream).getSourceInfos().stream().allMatch(s -> s.getLag() == 0);
    }

    private static MessageIdentity identity(MessageInfo m) {
        return MessageIdentity.of(m.getSubject(), m.getHeaders(), m.getData());
    }
}
