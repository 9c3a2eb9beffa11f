package io.natsmigrate.reliable;

import io.natsmigrate.primitives.Durations;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.DoubleSupplier;

/**
 * How a publish is retried: exponential backoff with jitter, a per-attempt ack timeout and an overall deadline
 * measured from the first attempt, optionally a cap on attempts. Immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.builder().deadline(Duration.ofSeconds(60)).build();
 * }</pre>
 *
 * <p><b>Time bounds retries, not a count.</b> By default attempts are unbounded and the deadline (60 s) decides when
 * a message fails: a JetStream leader election (a rolling restart, a node crash) answers "no responders" or times out
 * for several seconds, and a count of attempts would be spent inside one election (measured on the testkit's
 * 3-node cluster: a stream leader SIGKILL stalls publishing for about 4 to 9 s, the election itself). The backoff
 * grows from 50 ms to 500 ms, so a recovered leader is found within about half a second. Set
 * {@link Builder#maxAttempts(int)} only to fail faster than the deadline on purpose.
 *
 * <p>Keep the deadline inside the target stream's {@code duplicate_window}: the server only recognises a retried
 * Msg-Id as a duplicate within that window. {@link ReliablePublisher} checks this.
 */
public final class RetryPolicy {

    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final double multiplier;
    private final double jitter;
    private final Duration attemptTimeout;
    private final Duration deadline;
    private final Set<Integer> retryApiErrors;

    private RetryPolicy(Builder b) {
        this.maxAttempts = b.maxAttempts;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.multiplier = b.multiplier;
        this.jitter = b.jitter;
        this.attemptTimeout = b.attemptTimeout;
        this.deadline = b.deadline;
        this.retryApiErrors = Set.copyOf(b.retryApiErrors);
    }

    /** Attempts are not counted: only the deadline ends retrying. */
    public static final int UNBOUNDED_ATTEMPTS = Integer.MAX_VALUE;

    /** Defaults: unbounded attempts, 50 ms doubling to 500 ms, 20 % jitter, 2 s per attempt, 60 s overall. */
    public static RetryPolicy defaults() {
        return builder().build();
    }

    /** No retries: one attempt with the default ack timeout. */
    public static RetryPolicy noRetries() {
        return builder().maxAttempts(1).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Attempts in total, including the first; {@link #UNBOUNDED_ATTEMPTS} (the default) when only time counts. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** Whether a number of attempts, not only the deadline, can end retrying. */
    public boolean attemptsBounded() {
        return maxAttempts != UNBOUNDED_ATTEMPTS;
    }

    public Duration initialBackoff() {
        return initialBackoff;
    }

    public Duration maxBackoff() {
        return maxBackoff;
    }

    public double multiplier() {
        return multiplier;
    }

    public double jitter() {
        return jitter;
    }

    /** How long one attempt waits for the ack. */
    public Duration attemptTimeout() {
        return attemptTimeout;
    }

    /** Overall time budget from the first attempt; no attempt starts after it. */
    public Duration deadline() {
        return deadline;
    }

    /** Whether an API error with this code is retried (beyond the transient ones always retried). */
    public boolean retriesApiError(int apiErrorCode) {
        return retryApiErrors.contains(apiErrorCode);
    }

    /** API error codes retried on top of the transient failures (none by default). */
    public Set<Integer> retryApiErrors() {
        return retryApiErrors;
    }

    /**
     * The pause before attempt {@code nextAttempt} (2 for the first retry): {@code initial * multiplier^(n-2)},
     * capped at {@code maxBackoff}, then spread by +/- {@code jitter} using {@code random} in [0, 1).
     */
    public Duration backoffBefore(int nextAttempt, DoubleSupplier random) {
        if (nextAttempt < 2) {
            return Duration.ZERO;
        }
        double base = initialBackoff.toNanos() * Math.pow(multiplier, nextAttempt - 2.0);
        double capped = Math.min(base, maxBackoff.toNanos());
        double spread = capped * jitter * (2 * random.getAsDouble() - 1);
        return Duration.ofNanos(Math.max(0, Math.round(capped + spread)));
    }

    @Override
    public String toString() {
        return "RetryPolicy[maxAttempts=" + (attemptsBounded() ? Integer.toString(maxAttempts) : "unbounded")
                + ", backoff=" + initialBackoff + ".." + maxBackoff + " x"
                + multiplier + " +/-" + (int) (jitter * 100) + "%, attemptTimeout=" + attemptTimeout + ", deadline="
                + deadline + (retryApiErrors.isEmpty() ? "" : ", retryApiErrors=" + retryApiErrors) + "]";
    }

    /** Builds a {@link RetryPolicy}. */
    public static final class Builder {
        private int maxAttempts = UNBOUNDED_ATTEMPTS;
        private Duration initialBackoff = Duration.ofMillis(50);
        private Duration maxBackoff = Duration.ofMillis(500);
        private double multiplier = 2.0;
        private double jitter = 0.2;
        private Duration attemptTimeout = Duration.ofSeconds(2);
        private Duration deadline = Duration.ofSeconds(60);
        private final Set<Integer> retryApiErrors = new TreeSet<>();

        private Builder() {
        }

        /**
         * Widens what is retried: API errors with these codes are retried like a transient failure (reason
         * {@link FailureReason#API_ERROR}) instead of failing at once. Always retried already: ack timeouts, no
         * responders, connection loss, 429, 503 (which includes 10077, a full discard-new stream) and 10158. For
         * example 10071/10164 for a message that expects a last sequence another publisher is about to reach: the
         * retry sends the same expectation again until it holds or the deadline passes.
         */
        public Builder retryOnApiErrors(int... apiErrorCodes) {
            for (int c : apiErrorCodes) {
                if (c <= 0) {
                    throw new IllegalArgumentException("API error codes are positive (10077, ...), was " + c);
                }
                retryApiErrors.add(c);
            }
            return this;
        }

        /**
         * Attempts in total, including the first (>= 1; default {@link #UNBOUNDED_ATTEMPTS}). A count can run out
         * inside a leader election long before the deadline: set it only to fail faster on purpose.
         */
        public Builder maxAttempts(int attempts) {
            if (attempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, was " + attempts);
            }
            this.maxAttempts = attempts;
            return this;
        }

        /** Pause before the first retry. */
        public Builder initialBackoff(Duration backoff) {
            this.initialBackoff = nonNegative("initialBackoff", backoff);
            return this;
        }

        /** Largest pause between attempts (default 500 ms). */
        public Builder maxBackoff(Duration backoff) {
            this.maxBackoff = nonNegative("maxBackoff", backoff);
            return this;
        }

        /** Growth factor of the pause (>= 1). */
        public Builder multiplier(double multiplier) {
            if (!(multiplier >= 1.0)) {
                throw new IllegalArgumentException("multiplier must be >= 1, was " + multiplier);
            }
            this.multiplier = multiplier;
            return this;
        }

        /** Random spread of each pause, 0 (none) to 1 (+/- 100 %). */
        public Builder jitter(double jitter) {
            if (!(jitter >= 0 && jitter <= 1)) {
                throw new IllegalArgumentException("jitter must be within 0..1, was " + jitter);
            }
            this.jitter = jitter;
            return this;
        }

        /** How long one attempt waits for its ack before it counts as timed out. */
        public Builder attemptTimeout(Duration timeout) {
            this.attemptTimeout = Durations.requirePositive("attemptTimeout", timeout);
            return this;
        }

        /** Overall budget from the first attempt. */
        public Builder deadline(Duration deadline) {
            this.deadline = Durations.requirePositive("deadline", deadline);
            return this;
        }

        public RetryPolicy build() {
            if (maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException("maxBackoff " + maxBackoff + " is below initialBackoff "
                        + initialBackoff + "; raise maxBackoff or lower initialBackoff");
            }
            return new RetryPolicy(this);
        }

        private static Duration nonNegative(String what, Duration d) {
            Objects.requireNonNull(d, what);
            if (d.isNegative()) {
                throw new IllegalArgumentException(what + " must not be negative, was " + d);
            }
            return d;
        }

    }
}
