package io.natsmigrate.dualpublish;

import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.natsmigrate.reliable.Expectation;
import io.natsmigrate.reliable.InFlightLimitException;
import io.natsmigrate.reliable.ReliablePublisher;
import io.natsmigrate.reliable.UnconfirmedMessagesException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * The dual publisher's JetStream leg: the reliable publisher, how long a caller may wait for it, and the store of
 * messages it could not deliver, kept for {@link #replay(Duration)}.
 */
final class JetStreamLeg {

    private static final Logger LOG = LoggerFactory.getLogger(JetStreamLeg.class);

    private final ReliablePublisher publisher;
    private final List<DualPublishListener> listeners;
    private final int undeliveredCapacity;
    private final Duration maxBlock;
    private final Deque<UndeliveredMessage> undelivered = new ArrayDeque<>();
    private final Object idle = new Object();
    private int queuedOrInFlight;
    private volatile boolean saturated;

    JetStreamLeg(ReliablePublisher publisher, List<DualPublishListener> listeners, int undeliveredCapacity,
                 Duration maxBlock) {
        this.publisher = publisher;
        this.listeners = listeners;
        this.undeliveredCapacity = undeliveredCapacity;
        this.maxBlock = maxBlock;
    }

    /**
     * Hands one message to JetStream. With {@code backpressure} the caller waits for a slot in the window as long
     * as it takes; without, at most {@code maxBlock}, and not at all once the leg is saturated.
     *
     * @return completes with the ack, or exceptionally once the message is kept for replay (or overflowed)
     */
    CompletableFuture<PublishAck> publish(String subject, Headers h, byte[] body, String msgId,
                                          boolean backpressure) {
        Handoff item = new Handoff(subject, h, body, msgId, new CompletableFuture<>());
        synchronized (idle) {
            queuedOrInFlight++;
        }
        // JetStream-only: full backpressure. Dual: a healthy JetStream leg paces the caller through the reliable
        // publisher's in-flight window, but the caller never waits longer than maxBlock for a slot. Once that
        // happened the leg counts as saturated and further messages only take a free slot without waiting, so an
        // outage costs the legacy path one maxBlock; what finds no slot is kept for replay.
        Duration wait = backpressure ? null : saturated ? Duration.ZERO : maxBlock;
        CompletableFuture<PublishAck> f;
        try {
            f = publisher.publishAsync(subject, h, body, Expectation.none(), wait);
        } catch (RuntimeException e) {
            undeliver(item, e);
            return item.result;
        }
        // A full window fails the future at once (the reliable publisher reports every refusal that way).
        saturated = refusedForFullWindow(f);
        f.whenComplete((ack, error) -> {
            if (error == null) {
                listeners.forEach(l -> l.jetStreamStored(item.subject, item.msgId, ack));
                item.result.complete(ack);
                done();
            } else {
                undeliver(item, error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error);
            }
        });
        return item.result;
    }

    private static boolean refusedForFullWindow(CompletableFuture<PublishAck> f) {
        if (!f.isCompletedExceptionally()) {
            return false;
        }
        try {
            f.getNow(null);
            return false;
        } catch (CompletionException e) {
            return e.getCause() instanceof InFlightLimitException;
        } catch (CancellationException e) {
            return false;
        }
    }

    private void undeliver(Handoff item, Throwable cause) {
        UndeliveredMessage u = new UndeliveredMessage(item.subject, item.headers, item.data, item.msgId, cause);
        boolean kept;
        synchronized (undelivered) {
            kept = undelivered.size() < undeliveredCapacity;
            if (kept) {
                undelivered.addLast(u);
            }
        }
        if (kept) {
            listeners.forEach(l -> l.jetStreamUndelivered(u));
        } else {
            LOG.error("Replay store full ({} messages): handing Msg-Id {} to the overflow listener", undeliveredCapacity,
                    item.msgId);
            listeners.forEach(l -> l.undeliveredOverflow(u));
        }
        item.result.completeExceptionally(cause);
        done();
    }

    private void done() {
        synchronized (idle) {
            queuedOrInFlight--;
            if (queuedOrInFlight == 0) {
                idle.notifyAll();
            }
        }
    }

    /** Messages this leg could not store, oldest first. */
    List<UndeliveredMessage> undelivered() {
        synchronized (undelivered) {
            return new ArrayList<>(undelivered);
        }
    }

    /** @see DualPublisher#replay(Duration) */
    int replay(Duration timeout) throws InterruptedException {
        List<UndeliveredMessage> batch;
        synchronized (undelivered) {
            batch = new ArrayList<>(undelivered);
            undelivered.clear();
        }
        int stored = 0;
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int i = 0; i < batch.size(); i++) {
            UndeliveredMessage u = batch.get(i);
            try {
                publisher.publishAsync(u.subject(), u.headers(), u.data(), Expectation.none())
                        .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                stored++;
            } catch (InterruptedException e) {
                // Nothing taken out of the store may be dropped: this one and the rest go back.
                batch.subList(i, batch.size()).forEach(rest -> keep(rest, e));
                throw e;
            } catch (Exception e) {
                keep(u, e);
            }
        }
        return stored;
    }

    private void keep(UndeliveredMessage u, Exception cause) {
        synchronized (undelivered) {
            undelivered.addLast(new UndeliveredMessage(u.subject(), u.headers(), u.data(), u.msgId(), cause));
        }
    }

    /** @see DualPublisher#flush(Duration) */
    boolean flush(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (queuedOrInFlight > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                idle.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
        return true;
    }

    /** Closes the reliable publisher; what it could not confirm is kept for replay by its own callbacks. */
    void close() {
        try {
            publisher.close();
        } catch (UnconfirmedMessagesException e) {
            LOG.warn("{} JetStream messages unconfirmed at close: kept for replay", e.report().unconfirmed().size());
        }
    }

    /** One message on the JetStream leg. */
    private record Handoff(String subject, Headers headers, byte[] data, String msgId,
                           CompletableFuture<PublishAck> result) {
    }
}
