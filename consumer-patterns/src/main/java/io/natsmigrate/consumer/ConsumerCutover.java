package io.natsmigrate.consumer;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.ConsumerInfo;
import io.natsmigrate.primitives.JetStreamErrorCodes;
import io.natsmigrate.primitives.ServerFeature;

import java.io.IOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Objects;

/** Helpers for moving consumers at cutover: pause, resume, and wait until a consumer is drained. */
public final class ConsumerCutover {

    private ConsumerCutover() {
    }

    /**
     * Pauses a consumer until {@code until} (server 2.11+): the server delivers nothing to it meanwhile.
     *
     * @throws io.natsmigrate.primitives.ServerTooOldException on older servers
     * @throws ConsumerPatternsException when the stream or consumer does not exist
     */
    public static void pause(Connection nc, String stream, String consumer, ZonedDateTime until) {
        Objects.requireNonNull(until, "until");
        ServerFeature.CONSUMER_PAUSE.requireSupportedBy(nc);
        call(stream, consumer, () -> nc.jetStreamManagement().pauseConsumer(stream, consumer, until));
    }

    /** Resumes a paused consumer (server 2.11+). */
    public static void resume(Connection nc, String stream, String consumer) {
        ServerFeature.CONSUMER_PAUSE.requireSupportedBy(nc);
        call(stream, consumer, () -> nc.jetStreamManagement().resumeConsumer(stream, consumer));
    }

    /**
     * Waits until the consumer has delivered everything and nothing awaits an ack ({@code num_pending == 0} and
     * {@code num_ack_pending == 0}): the old path is drained and consumers can move.
     *
     * @throws DrainTimeoutException with the last figures when that does not happen within {@code timeout}
     */
    public static ConsumerInfo awaitDrained(Connection nc, String stream, String consumer, Duration timeout)
            throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            ConsumerInfo ci = call(stream, consumer, () -> nc.jetStreamManagement().getConsumerInfo(stream, consumer));
            if (ci.getNumPending() == 0 && ci.getNumAckPending() == 0) {
                return ci;
            }
            if (System.nanoTime() >= deadline) {
                throw new DrainTimeoutException(stream, consumer, timeout, ci.getNumPending(), ci.getNumAckPending());
            }
            Thread.sleep(50); // poll interval of a bounded wait on the consumer's state
        }
    }

    @FunctionalInterface
    private interface Call<T> {
        T run() throws IOException, JetStreamApiException;
    }

    private static <T> T call(String stream, String consumer, Call<T> c) {
        try {
            return c.run();
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == JetStreamErrorCodes.STREAM_NOT_FOUND
                    || e.getApiErrorCode() == JetStreamErrorCodes.CONSUMER_NOT_FOUND) {
                throw new ConsumerPatternsException("Consumer " + stream + " > " + consumer + " does not exist ("
                        + e.getErrorDescription() + "); check the names");
            }
            throw new ConsumerPatternsException("Consumer " + stream + " > " + consumer + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ConsumerPatternsException("Consumer " + stream + " > " + consumer + ": " + e.getMessage(), e);
        }
    }
}
