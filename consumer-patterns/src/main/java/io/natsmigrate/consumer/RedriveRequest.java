package io.natsmigrate.consumer;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * Which dead letters to redrive, and how fast. Immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * dlq.redrive(RedriveRequest.builder().stream("ORDERS").consumer("billing").ratePerSecond(50).build());
 * }</pre>
 */
public final class RedriveRequest {

    private final String stream;
    private final String consumer;
    private final Predicate<DeadLetter> filter;
    private final double ratePerSecond;

    private RedriveRequest(Builder b) {
        this.stream = b.stream;
        this.consumer = b.consumer;
        this.filter = b.filter;
        this.ratePerSecond = b.ratePerSecond;
    }

    public static Builder builder() {
        return new Builder();
    }

    String stream() {
        return stream;
    }

    String consumer() {
        return consumer;
    }

    double ratePerSecond() {
        return ratePerSecond;
    }

    boolean matches(DeadLetter d) {
        return (stream == null || stream.equals(d.stream())) && (consumer == null || consumer.equals(d.consumer()))
                && filter.test(d);
    }

    /** Builds a {@link RedriveRequest}; by default every dead letter, 100 per second. */
    public static final class Builder {
        private String stream;
        private String consumer;
        private Predicate<DeadLetter> filter = d -> true;
        private double ratePerSecond = 100;

        /** Only dead letters of this original stream. */
        public Builder stream(String stream) {
            this.stream = Objects.requireNonNull(stream, "stream");
            return this;
        }

        /** Only dead letters of this consumer. */
        public Builder consumer(String consumer) {
            this.consumer = Objects.requireNonNull(consumer, "consumer");
            return this;
        }

        /** Only dead letters this predicate accepts. */
        public Builder filter(Predicate<DeadLetter> filter) {
            this.filter = Objects.requireNonNull(filter, "filter");
            return this;
        }

        /** Most messages republished per second (> 0). */
        public Builder ratePerSecond(double rate) {
            if (!(rate > 0)) {
                throw new IllegalArgumentException("ratePerSecond must be positive, was " + rate);
            }
            this.ratePerSecond = rate;
            return this;
        }

        public RedriveRequest build() {
            return new RedriveRequest(this);
        }
    }
}
