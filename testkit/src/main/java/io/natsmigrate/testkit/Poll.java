package io.natsmigrate.testkit;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The bounded wait behind topology readiness, on Awaitility: check a condition every 20 ms until it holds or time
 * runs out, and say what was last seen.
 */
final class Poll {

    /** One look at the condition; writes what it saw into {@code state} for the timeout message. */
    @FunctionalInterface
    interface Check {
        boolean holds(StringBuilder state) throws Exception;
    }

    private static final Duration INTERVAL = Duration.ofMillis(20);

    private Poll() {
    }

    /**
     * Returns once {@code check} holds.
     *
     * @param onTimeout builds the exception from the last observed state
     */
    static void until(Duration timeout, Check check, Function<String, RuntimeException> onTimeout) {
        AtomicReference<String> last = new AtomicReference<>("");
        try {
            Awaitility.await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(INTERVAL)
                    .pollInSameThread()
                    .until(() -> {
                        StringBuilder state = new StringBuilder();
                        try {
                            return check.holds(state);
                        } catch (Exception e) {
                            state.append(e);
                            return false;
                        } finally {
                            last.set(state.toString());
                        }
                    });
        } catch (ConditionTimeoutException e) {
            throw onTimeout.apply(last.get());
        }
    }
}
