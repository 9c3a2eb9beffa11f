package io.natsmigrate.testkit;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Entry point for AssertJ assertions on live JetStream state. Every check reads the server's current state;
 * {@code within(timeout)} turns the following checks into bounded waits for an eventually-true condition.
 *
 * <pre>{@code
 * assertThatStream(jsm, "ORDERS").hasMessages(100).hasSubjectCount("orders.eu", 40);
 * assertThatConsumer(jsm, "ORDERS", "billing").within(Duration.ofSeconds(5)).hasNumPending(0).hasAckFloor(100);
 * }</pre>
 */
public final class NatsAssertions {

    private NatsAssertions() {
    }

    /** Assertions on the stream named {@code stream}. */
    public static StreamAssert assertThatStream(JetStreamManagement jsm, String stream) {
        return new StreamAssert(jsm, stream);
    }

    /** Assertions on the stream named {@code stream}, through a new management context of {@code nc}. */
    public static StreamAssert assertThatStream(Connection nc, String stream) {
        return new StreamAssert(jsm(nc), stream);
    }

    /** Assertions on a consumer of a stream. */
    public static ConsumerAssert assertThatConsumer(JetStreamManagement jsm, String stream, String consumer) {
        return new ConsumerAssert(jsm, stream, consumer);
    }

    /** Assertions on a consumer of a stream, through a new management context of {@code nc}. */
    public static ConsumerAssert assertThatConsumer(Connection nc, String stream, String consumer) {
        return new ConsumerAssert(jsm(nc), stream, consumer);
    }

    private static JetStreamManagement jsm(Connection nc) {
        try {
            return nc.jetStreamManagement();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
