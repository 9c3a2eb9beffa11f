package io.natsmigrate.reliable;

import io.natsmigrate.primitives.Durations;
import java.time.Duration;
import java.util.Objects;

/**
 * Per-message settings that override the publisher's for one publish, so one publisher serves messages with
 * different needs. Immutable; {@link #builder()}. Unset fields use the publisher's settings.
 *
 * <pre>{@code
 * publisher.publishAsync("orders.created", null, payload, PublishOptions.builder()
 *         .expectation(Expectation.lastSubjectSequence(41)).attemptTimeout(Duration.ofMillis(500)).build());
 * }</pre>
 */
public final class PublishOptions {

    private static final PublishOptions DEFAULTS = builder().build();

    private final Expectation expectation;
    private final Duration attemptTimeout;
    private final Duration deadline;
    private final Duration maxWaitForSlot;

    private PublishOptions(Builder b) {
        this.expectation = b.expectation;
        this.attemptTimeout = b.attemptTimeout;
        this.deadline = b.deadline;
        this.maxWaitForSlot = b.maxWaitForSlot;
    }

    /** No overrides. */
    public static PublishOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** What the server must check before storing (default {@link Expectation#none()}). */
    public Expectation expectation() {
        return expectation;
    }

    /** How long one attempt waits for its ack; null: the retry policy's. */
    public Duration attemptTimeout() {
        return attemptTimeout;
    }

    /** The overall retry deadline; null: the retry policy's. */
    public Duration deadline() {
        return deadline;
    }

    /**
     * The longest wait for room in the in-flight window, whatever the publisher's {@link Backpressure}; null: the
     * publisher's behaviour. After it the future fails with {@link InFlightLimitException}.
     */
    public Duration maxWaitForSlot() {
        return maxWaitForSlot;
    }

    /** Builds {@link PublishOptions}. */
    public static final class Builder {
        private Expectation expectation = Expectation.none();
        private Duration attemptTimeout;
        private Duration deadline;
        private Duration maxWaitForSlot;

        private Builder() {
        }

        public Builder expectation(Expectation expectation) {
            this.expectation = Objects.requireNonNull(expectation, "expectation (use Expectation.none())");
            return this;
        }

        public Builder attemptTimeout(Duration timeout) {
            this.attemptTimeout = Durations.requirePositive("attemptTimeout", timeout);
            return this;
        }

        /** Must stay within the stream's duplicate window, like the policy's deadline. */
        public Builder deadline(Duration deadline) {
            this.deadline = Durations.requirePositive("deadline", deadline);
            return this;
        }

        public Builder maxWaitForSlot(Duration wait) {
            Objects.requireNonNull(wait, "maxWaitForSlot");
            if (wait.isNegative()) {
                throw new IllegalArgumentException("maxWaitForSlot must not be negative, was " + wait);
            }
            this.maxWaitForSlot = wait;
            return this;
        }

        public PublishOptions build() {
            return new PublishOptions(this);
        }

    }
}
