package io.natsmigrate.reliable;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * How a publish is retried: attempts, exponential backoff with jitter, a per-attempt ack timeout and an overall
 * deadline measured from the first attempt. Immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.builder().maxAttempts(20).initialBackoff(Duration.ofMillis(50))
 *         .maxBackoff(Duration.ofSeconds(1)).jitter(0.2).deadline(Duration.ofSeconds(60)).build();
 * }</pre>
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

    private RetryPolicy(Builder b) {
        this.maxAttempts = b.maxAttempts;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.multiplier = b.multiplier;
        this.jitter = b.jitter;
        this.attemptTimeout = b.attemptTimeout;
        this.deadline = b.deadline;
    }

    /** Defaults: 10 attempts, 50 ms doubling to 2 s, 20 % jitter, 2 s per attempt, 60 s overall. */
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

    public int maxAttempts() {
        return maxAttempts;
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
        return "RetryPolicy[maxAttempts=" + maxAttempts + ", backoff=" + initialBackoff + ".." + maxBackoff + " x"
                + multiplier + " +/-" + (int) (jitter * 100) + "%, attemptTimeout=" + attemptTimeout + ", deadline="
                + deadline + "]";
    }

    /** Builds a {@link RetryPolicy}. */
    public static final class Builder {
        private int maxAttempts = 10;
        private Duration initialBackoff = Duration.ofMillis(50);
        private Duration maxBackoff = Duration.ofSeconds(2);
        private double multiplier = 2.0;
        private double jitter = 0.2;
        private Duration attemptTimeout = Duration.ofSeconds(2);
        private Duration deadline = Duration.ofSeconds(60);

        private Builder() {
        }

        /** Attempts in total, including the first (>= 1). */
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

        /** Largest pause between attempts. */
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
            this.attemptTimeout = positive("attemptTimeout", timeout);
            return this;
        }

        /** Overall budget from the first attempt. */
        public Builder deadline(Duration deadline) {
            this.deadline = positive("deadline", deadline);
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

        private static Duration positive(String what, Duration d) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, was " + d);
            }
            return d;
        }
    }
}
