package io.natsmigrate.reliable;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The bounded in-flight window: a slot per message awaiting its ack. A caller that finds it full waits
 * ({@link Backpressure#BLOCK}, or up to a per-message bound) or is refused ({@link Backpressure#FAIL_FAST});
 * listeners hear when the first caller starts waiting and when the last one stops.
 */
final class InFlightWindow {

    private final int max;
    private final Backpressure backpressure;
    private final List<PublishListener> listeners;
    private final IntSupplier inFlight;
    private final Semaphore permits;
    private final Object lock = new Object();
    private int waiting;
    private long waitingSince;

    InFlightWindow(int max, Backpressure backpressure, List<PublishListener> listeners, IntSupplier inFlight) {
        this.max = max;
        this.backpressure = backpressure;
        this.listeners = listeners;
        this.inFlight = inFlight;
        this.permits = new Semaphore(max);
    }

    /**
     * Takes a slot; returns the refusal when none can be had: a full window and no waiting allowed, the bound of
     * {@code maxWait} (null: the publisher's backpressure) passed, or the caller interrupted.
     */
    ReliablePublishException acquire(String subject, Duration maxWait) {
        if (permits.tryAcquire()) {
            return null;
        }
        boolean mayWait = maxWait == null ? backpressure == Backpressure.BLOCK : !maxWait.isZero();
        if (!mayWait) {
            return new InFlightLimitException(subject, max);
        }
        waitStarted();
        try {
            if (maxWait == null) {
                permits.acquire();
                return null;
            }
            return permits.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS) ? null
                    : new InFlightLimitException(subject, max);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new PublisherClosedException("Interrupted while waiting for a free in-flight slot; the message to"
                    + " \"" + subject + "\" was not sent", subject, null, 0);
        } finally {
            waitEnded();
        }
    }

    void release() {
        permits.release();
    }

    /** Callers waiting for a slot now. */
    int waiting() {
        synchronized (lock) {
            return waiting;
        }
    }

    int max() {
        return max;
    }

    private void waitStarted() {
        synchronized (lock) {
            if (waiting++ == 0) {
                waitingSince = System.nanoTime();
                int now = inFlight.getAsInt();
                listeners.forEach(l -> l.backpressureStarted(now, max));
            }
        }
    }

    private void waitEnded() {
        synchronized (lock) {
            if (--waiting == 0) {
                Duration blocked = Duration.ofNanos(System.nanoTime() - waitingSince);
                listeners.forEach(l -> l.backpressureEnded(blocked));
            }
        }
    }
}
