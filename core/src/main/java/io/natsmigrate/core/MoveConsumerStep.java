package io.natsmigrate.core;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.PurgeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.natsmigrate.primitives.IdempotencyKeys;
import io.natsmigrate.primitives.JetStreamErrorCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * Moves one durable consumer from the old system to the new one and carries its position across, so that no
 * message the old consumer has not processed is behind the new consumer's start, and what the old consumer did
 * process is delivered on the new side at most where the two systems' orders differ, and then recorded as
 * processed for an idempotent service.
 *
 * <ol>
 *   <li>Pause the old consumer (nats-server 2.11 consumer pause): the server stops delivering to it.</li>
 *   <li>Wait until its in-flight messages are acknowledged (ack pending 0): from then on its ack floor is exact.</li>
 *   <li>Find the start with {@link MoveStartFinder}: the lowest new-stream sequence of any of the old consumer's
 *       first unprocessed messages (up to the reorder horizon), never after the new stream's last message before
 *       the reorder window. Several publishers make the two systems store concurrent messages in slightly
 *       different orders, so the first unprocessed message on the old side is not always the first on the new.</li>
 *   <li>Record the Msg-Ids of already processed messages at or after the start in the KV bucket
 *       {@link CrossSystemRecipe#processedBucket(String, String)} (keys by {@link IdempotencyKeys}).</li>
 *   <li>Create the new consumer with the old one's configuration and that start sequence. Work-queue streams
 *       only allow deliver-all consumers (error 10101), so there the messages before it are purged instead.</li>
 * </ol>
 * When the first unprocessed message predates the bridge the old consumer is resumed and the move retried until
 * the timeout. The result is a {@link ConsumerMove}.
 */
final class MoveConsumerStep implements Step {

    private static final Logger LOG = LoggerFactory.getLogger(MoveConsumerStep.class);
    private static final Duration PAUSE_FOR = Duration.ofDays(3650);
    private static final Duration RETRY_PAUSE = Duration.ofMillis(200);

    private final Connection source;
    private final Connection target;
    private final String stream;
    private final String consumer;
    private final Settings settings;

    /** The recipe's settings for consumer moves. */
    record Settings(Duration timeout, int reorderHorizon, Duration reorderWindow, Duration processedTtl) {
    }

    MoveConsumerStep(Connection source, Connection target, String stream, String consumer, Settings settings) {
        this.source = source;
        this.target = target;
        this.stream = stream;
        this.consumer = consumer;
        this.settings = settings;
    }

    @Override
    public List<Connection> connections() {
        return List.of(source, target);
    }

    @Override
    public String name() {
        return CrossSystemRecipe.moveConsumerStep(stream, consumer);
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
        long deadline = System.nanoTime() + settings.timeout().toNanos();
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
                MoveStartFinder.Start start = new MoveStartFinder(oldJsm, newJsm, stream, filters,
                        settings.reorderHorizon(), settings.reorderWindow(), settings.timeout(), ctx)
                        .find(processedUpTo);
                if (start.sequence() > 0) {
                    String bucket = CrossSystemRecipe.processedBucket(stream, consumer);
                    recordProcessed(newJsm, bucket, start.processedMsgIds(), ctx);
                    create(newJsm, drained.getConsumerConfiguration(), start.sequence(), filters, ctx);
                    ConsumerMove move = new ConsumerMove(stream, consumer, processedUpTo, start.sequence(),
                            start.unprocessedRead(), start.reorderedAhead(), start.processedMsgIds().size(), bucket);
                    LOG.info("Moved consumer {}/{}: processed up to old sequence {}, starts at new sequence {} ({} of"
                                    + " {} unprocessed messages stored earlier on the new side; {} already processed"
                                    + " messages recorded in {})", stream, consumer, processedUpTo, start.sequence(),
                            move.reorderedAhead(), move.horizon(), move.markedProcessed(), bucket);
                    return new StepResult(StepResult.Action.CREATED, move.toJson());
                }
                // The first unprocessed message predates the bridge: the old service must process it first.
                resume(oldJsm);
                if (System.nanoTime() > deadline) {
                    throw new ConsumerPositionException("Consumer " + stream + "/" + consumer + " has not processed"
                            + " everything published before the bridge started within " + settings.timeout()
                            + " (its first unprocessed message, after old sequence " + processedUpTo + ", is not on"
                            + " the new stream). Keep the old service running until it has caught up, or raise the"
                            + " recipe's timeout, then apply again; the old consumer has been resumed");
                }
                Thread.sleep(RETRY_PAUSE.toMillis());
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
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        while (true) {
            ctx.countRead();
            ConsumerInfo ci = jsm.getConsumerInfo(stream, consumer);
            if (ci.getNumAckPending() == 0) {
                return ci;
            }
            if (System.nanoTime() > deadline) {
                throw new ConsumerPositionException("Consumer " + stream + "/" + consumer + " still has "
                        + ci.getNumAckPending() + " unacknowledged messages " + settings.timeout() + " after it was"
                        + " paused: its service must acknowledge (or nak) what it holds. Raise the timeout if handling is slow");
            }
            Thread.sleep(50);
        }
    }

    /**
     * Records what the old consumer already processed at or after the start, before the new consumer exists: a
     * failure here leaves nothing half done. The bucket is kept as long as the recipe says and replicated like the
     * stream.
     */
    private void recordProcessed(JetStreamManagement jsm, String bucket, List<String> msgIds, StepContext ctx)
            throws Exception {
        if (msgIds.isEmpty()) {
            return;
        }
        KeyValueManagement kvm = target.keyValueManagement();
        ctx.countRead();
        try {
            kvm.getStatus(bucket);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != JetStreamErrorCodes.STREAM_NOT_FOUND) {
                throw e;
            }
            ctx.countRead();
            int replicas = jsm.getStreamInfo(stream).getConfiguration().getReplicas();
            ctx.countWrite();
            kvm.create(KeyValueConfiguration.builder().name(bucket).ttl(settings.processedTtl()).maxHistoryPerKey(1)
                    .replicas(replicas).storageType(StorageType.File).build());
        }
        KeyValue kv = target.keyValue(bucket);
        for (String id : msgIds) {
            ctx.countWrite();
            kv.put(IdempotencyKeys.of(id), new byte[0]);
        }
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
