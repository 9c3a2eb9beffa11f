package io.natsmigrate.reliable;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.PublishAck;
import io.natsmigrate.primitives.JetStreamErrorCodes;
import io.natsmigrate.primitives.Subjects;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Event sourcing's "append with expected version": read the last message on a subject, compute the next one,
 * publish it expecting that subject's sequence to be unchanged, and start over on a conflict.
 *
 * <pre>{@code
 * OptimisticUpdater updater = OptimisticUpdater.builder(publisher, nc).maxAttempts(100).build();
 * updater.update("orders.42", last -> apply(event, last.map(StoredMessage::data)));
 * }</pre>
 *
 * The write goes through the {@link ReliablePublisher}, so transient failures are retried with the same Msg-Id;
 * a lost ack whose write did land comes back as a duplicate, not as a conflict.
 */
public final class OptimisticUpdater {


    private final ReliablePublisher publisher;
    private final JetStreamManagement jsm;
    private final int maxAttempts;
    private final Duration maxBackoff;

    private OptimisticUpdater(Builder b) throws IOException {
        this.publisher = b.publisher;
        this.jsm = b.nc.jetStreamManagement();
        this.maxAttempts = b.maxAttempts;
        this.maxBackoff = b.maxBackoff;
    }

    /** Starts configuring an updater that writes through {@code publisher} and reads through {@code nc}. */
    public static Builder builder(ReliablePublisher publisher, Connection nc) {
        return new Builder(publisher, nc);
    }

    /**
     * Runs read-compute-write until a write wins.
     *
     * @param subject a concrete subject holding the aggregate's messages
     * @param next computes the next payload from the last stored message (empty when none)
     * @throws ConflictRetriesExhaustedException when every attempt lost to another writer
     * @throws NoStreamForSubjectException when no stream stores the subject
     */
    public UpdateResult update(String subject, Function<Optional<StoredMessage>, byte[]> next) {
        Subjects.requirePublishSubject(subject);
        Objects.requireNonNull(next, "next");
        ExpectationFailedException last = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            Optional<StoredMessage> current = readLast(subject);
            long expected = current.map(StoredMessage::sequence).orElse(0L);
            byte[] payload = next.apply(current);
            try {
                PublishAck ack = publisher.publish(subject, payload, Expectation.lastSubjectSequence(expected));
                return new UpdateResult(ack, attempt, attempt - 1);
            } catch (ExpectationFailedException e) {
                if (e.kind() != ExpectationFailedException.Kind.WRONG_LAST_SEQUENCE) {
                    throw e;
                }
                last = e;
                pause(attempt);
            }
        }
        throw new ConflictRetriesExhaustedException(subject, maxAttempts, last);
    }

    private Optional<StoredMessage> readLast(String subject) {
        StreamDirectory.Result r = publisher.streamFor(subject);
        if (r.lookup() == StreamDirectory.Lookup.NONE) {
            throw new NoStreamForSubjectException(subject, null);
        }
        if (r.lookup() == StreamDirectory.Lookup.UNKNOWN) {
            throw new ReliablePublishException("Could not find the stream of \"" + subject + "\" (server"
                    + " unreachable?); try again", subject, null, 0, null);
        }
        try {
            MessageInfo mi = jsm.getLastMessage(r.stream().name(), subject);
            return Optional.of(new StoredMessage(mi.getSubject(), mi.getSeq(), mi.getHeaders(), mi.getData()));
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == JetStreamErrorCodes.NO_MESSAGE_FOUND || e.getErrorCode() == 404) {
                return Optional.empty();
            }
            if (e.getApiErrorCode() == JetStreamErrorCodes.STREAM_NOT_FOUND) {
                throw new NoStreamForSubjectException(subject, null);
            }
            throw new PublishRejectedException(subject, null, 0, e.getErrorCode(), e.getApiErrorCode(),
                    e.getErrorDescription());
        } catch (IOException e) {
            throw new ReliablePublishException("Could not read the last message on \"" + subject + "\": " + e,
                    subject, null, 0, e);
        }
    }

    /** Short randomized pause so contending writers do not collide in lockstep. */
    private void pause(int attempt) {
        long capMicros = Math.min(maxBackoff.toNanos() / 1000, 100L << Math.min(attempt, 10));
        long micros = ThreadLocalRandom.current().nextLong(capMicros + 1);
        if (micros > 0) {
            try {
                Thread.sleep(micros / 1000, (int) (micros % 1000) * 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ReliablePublishException("Interrupted during an optimistic update", null, null, attempt, e);
            }
        }
    }

    /** Configures an {@link OptimisticUpdater}. Defaults: 50 attempts, backoff up to 50 ms. */
    public static final class Builder {
        private final ReliablePublisher publisher;
        private final Connection nc;
        private int maxAttempts = 50;
        private Duration maxBackoff = Duration.ofMillis(50);

        private Builder(ReliablePublisher publisher, Connection nc) {
            this.publisher = Objects.requireNonNull(publisher, "publisher");
            this.nc = Objects.requireNonNull(nc, "connection");
        }

        /** Read-compute-write rounds before giving up (>= 1). */
        public Builder maxAttempts(int attempts) {
            if (attempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, was " + attempts);
            }
            this.maxAttempts = attempts;
            return this;
        }

        /** Largest random pause between rounds. */
        public Builder maxBackoff(Duration backoff) {
            Objects.requireNonNull(backoff, "backoff");
            if (backoff.isNegative()) {
                throw new IllegalArgumentException("maxBackoff must not be negative, was " + backoff);
            }
            this.maxBackoff = backoff;
            return this;
        }

        public OptimisticUpdater build() {
            try {
                return new OptimisticUpdater(this);
            } catch (IOException e) {
                throw new ReliablePublishException("Could not create a JetStream context: " + e, null, null, 0, e);
            }
        }
    }
}
