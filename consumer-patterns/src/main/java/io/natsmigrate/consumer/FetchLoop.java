package io.natsmigrate.consumer;

import io.nats.client.Connection;
import io.nats.client.ConsumeOptions;
import io.nats.client.ConsumerContext;
import io.nats.client.FetchConsumeOptions;
import io.nats.client.FetchConsumer;
import io.nats.client.IterableConsumer;
import io.nats.client.Message;
import io.natsmigrate.primitives.PermissionDeniedException;
import io.natsmigrate.primitives.PermissionViolation;
import io.natsmigrate.primitives.PermissionViolations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.BooleanSupplier;

/**
 * The pull loop shared by the consumer runner and the DLQ processor: jnats's simplified fetch, which hands
 * messages over as they arrive (no waiting for a full batch), or, for a pinned consumer, its iterating consumer; a
 * stopped loop passes on all it pulled, so nothing pulled waits for {@code ack_wait}. Connection loss, server
 * restarts and leader changes end a pull with an error; the loop looks the consumer up again and pulls again.
 */
final class FetchLoop {

    private static final Logger LOG = LoggerFactory.getLogger(FetchLoop.class);
    /** The shortest fetch expiry jnats accepts. */
    private static final long EXPIRES_MILLIS = 1000;
    private static final long BACKOFF_MILLIS = 200;

    /** Receives each fetched message on the loop's thread. */
    @FunctionalInterface
    interface Sink {
        void accept(Message m) throws InterruptedException;
    }

    /**
     * The consumer's priority group, which every pull names. Pinned (the pinned-client policy): jnats serves such a
     * consumer only through its iterating consumer, whose pin it keeps across pulls.
     */
    record PullGroup(String name, boolean pinned) {
    }

    /** Called before each fetch: waits until there is room and says how many messages to fetch at most. */
    @FunctionalInterface
    interface Demand {
        int await() throws InterruptedException;
    }

    private FetchLoop() {
    }

    /** Fetches from {@code stream > consumer} in batches of up to {@code batch} while {@code running} holds. */
    static void run(Connection nc, String stream, String consumer, int batch, BooleanSupplier running, Sink sink) {
        run(nc, stream, consumer, null, () -> batch, running, sink);
    }

    /**
     * As above, asking {@code demand} before each pull how many messages there is room for, and naming the
     * consumer's priority {@code group} in every pull when it has one (the server refuses pulls without it; with
     * the pinned-client policy only the pinned client's pulls are served).
     */
    static void run(Connection nc, String stream, String consumer, PullGroup group, Demand demand,
                    BooleanSupplier running, Sink sink) {
        Target target = new Target(nc, stream, consumer, group == null ? null : group.name(), sink);
        Puller puller = group != null && group.pinned() ? new PinnedPuller(target) : new FetchPuller(target);
        try {
            while (running.getAsBoolean()) {
                PermissionViolations.Mark mark = PermissionViolations.mark(nc);
                try {
                    int room = demand.await();
                    if (!running.getAsBoolean()) {
                        return;
                    }
                    puller.pull(room);
                    deniedSince(nc, mark, stream, consumer, null);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception e) {
                    if (e instanceof PermissionDeniedException denied) {
                        throw denied; // the sink or this loop found a missing permission: pulling on cannot help
                    }
                    if (!running.getAsBoolean()) {
                        return;
                    }
                    deniedSince(nc, mark, stream, consumer, e);
                    LOG.warn("{} > {}: pull failed ({}); pulling again", stream, consumer, e.toString());
                    puller.reset();
                    try {
                        Thread.sleep(BACKOFF_MILLIS); // back off before pulling again
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        } finally {
            puller.finish();
        }
    }

    /** What a puller pulls from and hands messages to. */
    private record Target(Connection nc, String stream, String consumer, String group, Sink sink) {

        ConsumerContext context() throws Exception {
            return nc.getStreamContext(stream).getConsumerContext(consumer);
        }
    }

    /** One way of pulling: a fetch per round, or a pinned iterating consumer. */
    private interface Puller {
        /** Pulls up to {@code room} messages into the sink. */
        void pull(int room) throws Exception;

        /** Forgets the consumer after a failure, so the next pull looks it up again. */
        void reset();

        /** The loop has ended: passes on what was pulled and not yet handed over. */
        void finish();
    }

    /**
     * jnats's simplified fetch, which hands messages over as they arrive; each fetch runs out before the loop
     * ends, so nothing fetched waits for {@code ack_wait}.
     */
    private static final class FetchPuller implements Puller {
        private final Target target;
        private ConsumerContext source;

        FetchPuller(Target target) {
            this.target = target;
        }

        @Override
        public void pull(int room) throws Exception {
            if (source == null) {
                source = target.context();
            }
            FetchConsumeOptions.Builder options = FetchConsumeOptions.builder().maxMessages(room)
                    .expiresIn(EXPIRES_MILLIS);
            if (target.group() != null) {
                options.group(target.group());
            }
            // Closed also when the loop stops mid-fetch: an open fetch keeps its heartbeat timer, which then
            // reports heartbeat alarms for a consumer nobody pulls any more.
            try (FetchConsumer fetch = source.fetch(options.build())) {
                Message m;
                while ((m = fetch.nextMessage()) != null) {
                    target.sink().accept(m);
                }
            }
        }

        @Override
        public void reset() {
            source = null;
        }

        @Override
        public void finish() {
        }
    }

    /**
     * A pinned consumer: one iterating consumer that keeps the pin while this client pulls, a message at a time
     * once there is room; its read-ahead is at most the room there was when it started. On finish, what it holds
     * is passed on and the pin released, so another client takes over at once rather than after the pin's TTL.
     */
    private static final class PinnedPuller implements Puller {
        private final Target target;
        private ConsumerContext source;
        private IterableConsumer messages;

        PinnedPuller(Target target) {
            this.target = target;
        }

        @Override
        public void pull(int room) throws Exception {
            if (messages == null) {
                source = target.context();
                messages = source.iterate(ConsumeOptions.builder().batchSize(Math.max(1, room))
                        .expiresIn(EXPIRES_MILLIS).group(target.group()).build());
            }
            Message m = messages.nextMessage(EXPIRES_MILLIS);
            if (m != null) {
                target.sink().accept(m);
            }
        }

        @Override
        public void reset() {
            closeQuietly();
        }

        @Override
        public void finish() {
            if (messages == null) {
                return;
            }
            messages.stop();
            try {
                Message m;
                while ((m = messages.nextMessage(100)) != null) {
                    target.sink().accept(m); // pulled already: handled now rather than left to ack_wait
                }
                source.unpin(target.group());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.warn("{} > {}: could not release the pin of group {} ({}); another client takes over when"
                        + " it expires", target.stream(), target.consumer(), target.group(), e.toString());
            } finally {
                closeQuietly();
            }
        }

        private void closeQuietly() {
            if (messages != null) {
                try {
                    messages.close();
                } catch (Exception ignored) {
                    // closing a consumer whose connection is gone
                }
                messages = null;
            }
        }
    }

    /**
     * Ends the loop with {@link PermissionDeniedException} when the server denied this consumer's pull requests,
     * its acks or the inbox its messages come to since {@code mark}: a denied pull is never answered, so the loop
     * would otherwise fetch nothing, silently, for ever. Violations on other subjects of a shared connection are
     * not this loop's.
     */
    private static void deniedSince(Connection nc, PermissionViolations.Mark mark, String stream, String consumer,
                                    Exception cause) {
        PermissionViolations.since(nc, mark).filter(v -> v.kind() == PermissionViolation.Kind.SUBSCRIBE
                        ? v.subject().startsWith(nc.getOptions().getInboxPrefix())
                        : v.subject().startsWith("$JS.API.CONSUMER.MSG.NEXT." + stream + "." + consumer)
                        || v.subject().startsWith("$JS.ACK." + stream + "." + consumer + "."))
                .ifPresent(v -> {
                    throw new PermissionDeniedException(v, cause);
                });
    }
}
