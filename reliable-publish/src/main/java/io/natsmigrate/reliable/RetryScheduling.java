package io.natsmigrate.reliable;

import io.natsmigrate.primitives.DaemonThreads;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * When a failed attempt is tried again, and on which thread: the {@link RetryPolicy}'s backoff, bounded by the
 * message's deadline (and the policy's attempts, when it counts them), on a scheduler of the caller's or one of
 * its own (a daemon thread, shut down with the publisher).
 */
final class RetryScheduling {

    /** Retry after {@code delay}, or give up ({@code delay} null) because {@code exhausted}. */
    record Decision(Duration delay, String exhausted) {
    }

    private final RetryPolicy policy;
    private final ScheduledExecutorService scheduler;
    private final boolean ownsScheduler;

    RetryScheduling(RetryPolicy policy, ScheduledExecutorService given) {
        this.policy = policy;
        this.ownsScheduler = given == null;
        this.scheduler = given != null ? given : Executors.newSingleThreadScheduledExecutor(
                DaemonThreads.named("natsmigrate-reliable-publisher-retry"));
    }

    /** Whether attempt {@code attempts + 1} may start, and after how long. */
    Decision decide(int attempts, long firstAttemptNanos, Duration deadline) {
        if (attempts >= policy.maxAttempts()) {
            return new Decision(null, "all " + policy.maxAttempts() + " attempts used");
        }
        Duration delay = policy.backoffBefore(attempts + 1, ThreadLocalRandom.current()::nextDouble);
        long elapsed = System.nanoTime() - firstAttemptNanos;
        if (elapsed + delay.toNanos() >= deadline.toNanos()) {
            return new Decision(null, "the retry deadline of " + deadline + " passed");
        }
        return new Decision(delay, null);
    }

    /** Runs {@code retry} after {@code delay}; false when the scheduler no longer takes work. */
    boolean schedule(Runnable retry, Duration delay) {
        try {
            scheduler.schedule(retry, delay.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (RejectedExecutionException shutDown) {
            return false;
        }
    }

    /** Stops the scheduler if it is the publisher's own; a caller's scheduler is the caller's to stop. */
    void shutdown() {
        if (ownsScheduler) {
            scheduler.shutdownNow();
        }
    }
}
