package io.natsmigrate.samples;

import io.natsmigrate.dualpublish.DualPublisher;
import io.natsmigrate.dualpublish.PublishMode;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded waits of the samples: poll a condition, fail the sample saying what did not happen. */
final class Wait {

    private Wait() {
    }

    /** Polls {@code condition} every 20 ms; throws naming {@code what} when it is not true within the timeout. */
    static void until(Duration timeout, BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Waits until a publisher that follows the plan has switched to {@code mode} (it switches asynchronously). */
    static void forMode(DualPublisher publisher, PublishMode mode) throws InterruptedException {
        until(Duration.ofSeconds(10), () -> publisher.mode() == mode, "the publisher to follow the plan to " + mode);
    }
}
