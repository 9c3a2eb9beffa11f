package io.natsmigrate.core;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.PurgeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.RetentionPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;

/**
 * Moves one durable consumer from the old system to the new one and carries its position across, so that
 * nothing the old consumer acknowledged is delivered again on the new side.
 *
 * <ol>
 *   <li>Pause the old consumer (nats-server 2.11 consumer pause): the server stops delivering to it.</li>
 *   <li>Wait until its in-flight messages are acknowledged (ack pending 0): from then on its ack floor is exact.</li>
 *   <li>Find the first message the old consumer has not processed (the next stored message after the ack floor
 *       on its filter; the old stream keeps it because the consumer has not acknowledged it) and look it up on
 *       the new stream by {@link MessageIdentity}: its sequence there is where the new consumer starts.</li>
 *   <li>Create the new consumer with the old one's configuration and that start sequence. Work-queue streams
 *       only allow deliver-all consumers (error 10101), so there the messages before it are purged instead.</li>
 * </ol>
 *
 * The bridge copies messages in the order the old system stored them when one connection publishes them;
 * with several concurrent publishers, messages published within the same instant may be stored in a different
 * order on each side, and one of those may be delivered on both sides. Applications with several publishers and
 * no tolerance for that pair position carry-over with an idempotency store.
 */
final class MoveConsumerStep implements Step {

    private static final Logger LOG = LoggerFactory.getLogger(MoveConsumerStep.class);
    private static final Duration PAUSE_FOR = Duration.ofDays(3650);
    /** How long to wait for an unprocessed message before concluding the old consumer has processed everything. */
    private static final Duration IDLE_WAIT = Duration.ofSeconds(1);
    /** Gap between the two reads of the new side's last message (see afterEverythingProcessed). */
    private static final Duration SETTLE = Duration.ofMillis(500);

    private final Connection source;
    private final Connection target;
    private final String stream;
    private final String consumer;
    private final Duration timeout;

    MoveConsumerStep(Connection source, Connection target, String stream, String consumer, Duration timeout) {
        this.source = source;
        this.target = target;
        this.stream = stream;
        this.consumer = consumer;
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return "move consumer " + stream + "/" + consumer;
    }

    @Override
    public StepCheck check(StepContext ctx) throws Exception {
        ctx.countRead();
        return info(target.jetStreamManagement(), consumer) == null ? StepCheck.missing() : StepCheck.inSync();
    }

    @Override
    public StepResult apply(StepContext ctx) throws Exception {
        JetStreamManagement oldJsm = source.jetStreamManagement();
        JetStreamManagement newJsm = target.jetStreamManagement();
        ctx.countRead();
        if (info(newJsm, consumer) != null) {
            return StepResult.of(StepResult.Action.ADOPTED);
        }
        ctx.countRead();
        ConsumerInfo old = info(oldJsm, consumer);
        if (old == null) {
            throw new ConsumerPositionException("Consumer " + consumer + " does not exist on stream " + stream
                    + " of the old system: nothing to move. Fix the consumer name in the recipe");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            ctx.countWrite();
            oldJsm.pauseConsumer(stream, consumer, ZonedDateTime.now().plus(PAUSE_FOR));
            try {
                ConsumerInfo drained = awaitNoAckPending(oldJsm, ctx);
                long processedUpTo = drained.getConsumerConfiguration().getAckPolicy() == AckPolicy.None
                        ? drained.getDelivered().getStreamSequence() : drained.getAckFloor().getStreamSequence();
                // jnats gives null, not an empty list, for a consumer without filter.
                List<String> filters = drained.getConsumerConfiguration().getFilterSubjects() == null ? List.of()
                        : drained.getConsumerConfiguration().getFilterSubjects();
                long start = startSequenceOnTarget(oldJsm, newJsm, processedUpTo, filters, ctx);
                if (start > 0) {
                    create(newJsm, drained.getConsumerConfiguration(), start, filters, ctx);
                    LOG.info("Moved consumer {}/{}: processed up to old sequence {}, starts at new sequence {}",
                            stream, consumer, processedUpTo, start);
                    return new StepResult(StepResult.Action.CREATED, Json.pretty(Map.of(
                            "processedUpToOldSequence", processedUpTo, "startSequence", start)));
                }
                // The first unprocessed message predates the bridge: the old service must process it first.
                resume(oldJsm);
                if (System.nanoTime() > deadline) {
                    throw new ConsumerPositionException("Consumer " + stream + "/" + consumer + " has not processed"
                            + " everything published before the bridge started within " + timeout + " (its first"
                            + " unprocessed message, after old sequence " + processedUpTo + ", is not on the new"
                            + " stream). Keep the old service running until it has caught up, or raise the"
                            + " recipe's timeout, then apply again; the old consumer has been resumed");
                }
                Thread.sleep(200);
            } catch (Exception | Error e) {
                // The old service must be able to go on: never leave its consumer paused behind a failure.
                resume(oldJsm);
                throw e;
            }
        }
    }

    @Override
    public void rollback(StepContext ctx, StepResult applied) throws Exception {
        // Messages the new consumer acknowledged in the meantime are delivered again by the old one: rolling back
        // a consumer move trades duplicates for continuity, never loss.
        new DeleteConsumerStep(stream, consumer).apply(ctx.on(target, target.jetStreamManagement()));
        ctx.countWrite();
        resume(source.jetStreamManagement());
    }

    // No requiredFeatures(): the runner checks those against its own server, the target, while the pause needs
    // the old system; CrossSystemPreflight checks it there.

    private ConsumerInfo awaitNoAckPending(JetStreamManagement jsm, StepContext ctx) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            ctx.countRead();
            ConsumerInfo ci = jsm.getConsumerInfo(stream, consumer);
            if (ci.getNumAckPending() == 0) {
                return ci;
            }
            if (System.nanoTime() > deadline) {
                throw new ConsumerPositionException("Consumer " + stream + "/" + consumer + " still has "
                        + ci.getNumAckPending() + " unacknowledged messages " + timeout + " after it was paused: its"
                        + " service must acknowledge (or nak) what it holds. Raise the timeout if handling is slow");
            }
            Thread.sleep(50);
        }
    }

    /**
     * The sequence on the new stream of the first message the old consumer has not processed, or 0 when that
     * message is not on the new stream (published before the bridge captured anything).
     */
    private long startSequenceOnTarget(JetStreamManagement oldJsm, JetStreamManagement newJsm, long processedUpTo,
                                       List<String> filters, StepContext ctx) throws Exception {
        MessageInfo firstUnprocessed = awaitNextStored(oldJsm, processedUpTo + 1, filters, ctx);
        if (firstUnprocessed == null) {
            Long after = afterEverythingProcessed(oldJsm, newJsm, processedUpTo, filters, ctx);
            if (after != null) {
                return after;
            }
            firstUnprocessed = awaitNextStored(oldJsm, processedUpTo + 1, filters, ctx);
            if (firstUnprocessed == null) {
                return 0;
            }
        }
        MessageIdentity wanted = MessageIdentity.of(firstUnprocessed.getSubject(), firstUnprocessed.getHeaders(),
                firstUnprocessed.getData());
        return findOnTarget(newJsm, wanted, filters, ctx);
    }

    private MessageInfo nextStored(JetStreamManagement jsm, long from, List<String> filters, StepContext ctx)
            throws Exception {
        MessageInfo first = null;
        for (String filter : filters.isEmpty() ? List.of(">") : filters) {
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

    /**
     * Reads the new stream in order, message by message on the consumer's filter (next-by-subject gets: an ordered
     * consumer would be refused on a work-queue stream, error 10084, and would linger as an ephemeral consumer),
     * until the identity shows up; 0 when the end was reached while the bridge had nothing more to deliver.
     */
    private long findOnTarget(JetStreamManagement jsm, MessageIdentity wanted, List<String> filters,
                              StepContext ctx) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long from = 1;
        while (System.nanoTime() < deadline) {
            MessageInfo m = nextStored(jsm, from, filters, ctx);
            if (m == null) {
                if (bridgeDelivered(jsm, ctx)) {
                    return 0;
                }
                Thread.sleep(50);
            } else if (MessageIdentity.of(m.getSubject(), m.getHeaders(), m.getData()).equals(wanted)) {
                return m.getSeq();
            } else {
                from = m.getSeq() + 1;
            }
        }
        return 0;
    }

    /** The first unprocessed message on the old side, waiting briefly for one when there is none yet. */
    private MessageInfo awaitNextStored(JetStreamManagement jsm, long from, List<String> filters, StepContext ctx)
            throws Exception {
        long deadline = System.nanoTime() + Math.min(timeout.toNanos(), IDLE_WAIT.toNanos());
        MessageInfo next;
        while ((next = nextStored(jsm, from, filters, ctx)) == null && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return next;
    }

    /**
     * The start when the old consumer has processed everything stored on its filter: just after the last message
     * on that filter on the new side, once the bridge has delivered all it captured. Read twice, {@link #SETTLE}
     * apart, with the old side re-checked in between, so that a message arriving meanwhile is never skipped; null
     * when something arrived (the caller then looks the new message up by identity).
     */
    private Long afterEverythingProcessed(JetStreamManagement oldJsm, JetStreamManagement newJsm, long processedUpTo,
                                          List<String> filters, StepContext ctx) throws Exception {
        long before = lastOnFilter(newJsm, filters, ctx);
        Thread.sleep(SETTLE.toMillis());
        if (nextStored(oldJsm, processedUpTo + 1, filters, ctx) != null) {
            return null;
        }
        long after = lastOnFilter(newJsm, filters, ctx);
        return before == after ? after + 1 : null;
    }

    /** The last sequence on the filter on the new side after its sources caught up (0: none there). */
    private long lastOnFilter(JetStreamManagement jsm, List<String> filters, StepContext ctx) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (bridgeDelivered(jsm, ctx)) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new ConsumerPositionException("The new stream " + stream + " still lags behind the bridge "
                        + timeout + " after consumer " + consumer + " was paused: check the leaf connection and the"
                        + " stream's source info, then apply again; the old consumer has been resumed");
            }
            Thread.sleep(50);
        }
        long last = 0;
        for (String filter : filters.isEmpty() ? List.of(">") : filters) {
            ctx.countRead();
            try {
                last = Math.max(last, jsm.getLastMessage(stream, filter).getSeq());
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() != JetStreamErrorCodes.NO_MESSAGE_FOUND) {
                    throw e;
                }
            }
        }
        return last;
    }

    /** Whether every source of the new stream has copied all it has seen (lag 0). */
    private boolean bridgeDelivered(JetStreamManagement jsm, StepContext ctx) throws Exception {
        ctx.countRead();
        return jsm.getStreamInfo(stream).getSourceInfos().stream().allMatch(s -> s.getLag() == 0);
    }

    private void create(JetStreamManagement jsm, ConsumerConfiguration old, long start, List<String> filters,
                        StepContext ctx) throws Exception {
        ctx.countRead();
        RetentionPolicy retention = jsm.getStreamInfo(stream).getConfiguration().getRetentionPolicy();
        ConsumerConfiguration.Builder b = ConsumerConfiguration.builder(old).pauseUntil(null).startTime(null);
        if (retention == RetentionPolicy.WorkQueue) {
            // Work-queue consumers must deliver all; drop what was processed on the old side instead.
            for (String filter : filters.isEmpty() ? List.of(">") : filters) {
                ctx.countWrite();
                jsm.purgeStream(stream, PurgeOptions.builder().subject(filter).sequence(start).build());
            }
            b.deliverPolicy(DeliverPolicy.All).startSequence(null);
        } else {
            b.deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(start);
        }
        ctx.countWrite();
        jsm.addOrUpdateConsumer(stream, b.build());
    }

    private void resume(JetStreamManagement jsm) {
        try {
            jsm.resumeConsumer(stream, consumer);
        } catch (Exception e) {
            LOG.error("Could not resume consumer {}/{} on the old system: resume it with"
                    + " `nats consumer resume {} {}`", stream, consumer, stream, consumer, e);
        }
    }

    private ConsumerInfo info(JetStreamManagement jsm, String name) throws Exception {
        try {
            return jsm.getConsumerInfo(stream, name);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == JetStreamErrorCodes.CONSUMER_NOT_FOUND
                    || e.getApiErrorCode() == JetStreamErrorCodes.STREAM_NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }
}
