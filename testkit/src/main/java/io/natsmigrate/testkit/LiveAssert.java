package io.natsmigrate.testkit;

import org.assertj.core.api.AbstractAssert;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.ThrowingRunnable;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Shared base of the live-state assertions: checks run once, or, after {@link #within(Duration)}, are retried
 * until they pass or the timeout ends (then the last failure is reported).
 */
abstract class LiveAssert<SELF extends LiveAssert<SELF>> extends AbstractAssert<SELF, String> {

    private Duration timeout = Duration.ZERO;

    LiveAssert(String description, Class<?> selfType) {
        super(description, selfType);
    }

    /** Makes the following checks wait up to {@code timeout} for the condition to become true. */
    public SELF within(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, was " + timeout);
        }
        this.timeout = timeout;
        return myself;
    }

    /** Runs a check now, or retries it until it passes within the configured timeout. */
    SELF check(ThrowingRunnable assertion) {
        if (timeout.isZero()) {
            try {
                assertion.run();
            } catch (AssertionError | RuntimeException e) {
                throw e;
            } catch (Throwable t) {
                throw new AssertionError(actual + ": could not read state: " + t, t);
            }
            return myself;
        }
        // Keep the last failure ourselves: Awaitility's timeout cause is not always the assertion's error.
        // Polling in the caller's thread means a check is never interrupted half-way through a server request
        // (CI once reported "InterruptedException" instead of the assertion that was actually failing).
        AtomicReference<Throwable> last = new AtomicReference<>();
        try {
            Awaitility.await(actual)
                    .atMost(timeout)
                    .pollInSameThread()
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(20))
                    .untilAsserted(() -> {
                        try {
                            assertion.run();
                        } catch (AssertionError t) {
                            if (!causedByInterrupt(t) || last.get() == null) {
                                last.set(t);
                            }
                            throw t;
                        } catch (Throwable t) {
                            // A server that cannot answer yet (a leader election on a cluster) is "not yet" within
                            // the window, not a failure of the assertion.
                            AssertionError notYet = new AssertionError(actual + ": could not read state: " + t, t);
                            if (!causedByInterrupt(t) || last.get() == null) {
                                last.set(notYet);
                            }
                            throw notYet;
                        }
                    });
        } catch (ConditionTimeoutException e) {
            Throwable cause = last.get() != null ? last.get() : e;
            throw new AssertionError("Not true within " + timeout + ": " + cause.getMessage(), cause);
        }
        return myself;
    }

    private static boolean causedByInterrupt(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof InterruptedException) {
                return true;
            }
        }
        return false;
    }
}
