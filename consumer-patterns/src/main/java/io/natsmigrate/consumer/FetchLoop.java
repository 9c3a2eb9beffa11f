package io.natsmigrate.consumer;

import io.nats.client.Connection;
import io.nats.client.ConsumerContext;
import io.nats.client.FetchConsumeOptions;
import io.nats.client.FetchConsumer;
import io.nats.client.Message;
import io.natsmigrate.primitives.PermissionDeniedException;
import io.natsmigrate.primitives.PermissionViolation;
import io.natsmigrate.primitives.PermissionViolations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.BooleanSupplier;

/**
 * The pull loop shared by the consumer runner and the DLQ processor: jnats's simplified fetch, which hands
 * messages over as they arrive (no waiting for a full batch); a stopped loop lets the current fetch run out and
 * passes all of it on, so nothing fetched waits for {@code ack_wait}. Connection loss, server restarts and leader
 * changes end a fetch with an error; the loop looks the consumer up again and fetches again.
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

    /** Called before each fetch: waits until there is room and says how many messages to fetch at most. */
    @FunctionalInterface
    interface Demand {
        int await() throws InterruptedException;
    }

    private FetchLoop() {
    }

    /** Fetches from {@code stream > consumer} in batches of up to {@code batch} while {@code running} holds. */
    static void run(Connection nc, String stream, String consumer, int batch, BooleanSupplier running, Sink sink) {
        run(nc, stream, consumer, () -> batch, running, sink);
    }

    /** As above, asking {@code demand} before each fetch how many messages there is room for. */
    static void run(Connection nc, String stream, String consumer, Demand demand, BooleanSupplier running,
                    Sink sink) {
        ConsumerContext source = null;
        while (running.getAsBoolean()) {
            PermissionViolations.Mark mark = PermissionViolations.mark(nc);
            try {
                int batch = demand.await();
                if (!running.getAsBoolean()) {
                    return;
                }
                if (source == null) {
                    source = nc.getStreamContext(stream).getConsumerContext(consumer);
                }
                FetchConsumer fetch = source.fetch(FetchConsumeOptions.builder().maxMessages(batch)
                        .expiresIn(EXPIRES_MILLIS).build());
                Message m;
                while ((m = fetch.nextMessage()) != null) {
                    sink.accept(m);
                }
                deniedSince(nc, mark, stream, consumer, null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (e instanceof PermissionDeniedException denied) {
                    throw denied; // the sink or this loop found a missing permission: fetching on cannot help
                }
                if (!running.getAsBoolean()) {
                    return;
                }
                deniedSince(nc, mark, stream, consumer, e);
                LOG.warn("{} > {}: fetch failed ({}); fetching again", stream, consumer, e.toString());
                source = null;
                try {
                    Thread.sleep(BACKOFF_MILLIS); // back off before fetching again
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
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
