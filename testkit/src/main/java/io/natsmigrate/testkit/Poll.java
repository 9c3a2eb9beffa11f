package io.natsmigrate.testkit;

import java.time.Duration;
import java.util.function.Function;

/** The bounded wait behind topology readiness: check a condition every 20 ms until it holds or time runs out. */
final class Poll {

    /** One look at the condition; writes what it saw into {@code state} for the timeout message. */
    @FunctionalInterface
    interface Check {
        boolean holds(StringBuilder state) throws Exception;
    }

    private static final long INTERVAL_MILLIS = 20;

    private Poll() {
    }

    /**
     * Returns once {@code check} holds.
     *
     * @param onTimeout builds the exception from the last observed state
     */
    static void until(Duration timeout, Check check, Function<String, RuntimeException> onTimeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            StringBuilder state = new StringBuilder();
            try {
                if (check.holds(state)) {
                    return;
                }
            } catch (Exception e) {
                state.append(e);
            }
            last = state.toString();
            try {
                Thread.sleep(INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw onTimeout.apply("interrupted; last state: " + last);
            }
        }
        throw onTimeout.apply(last);
    }
}
