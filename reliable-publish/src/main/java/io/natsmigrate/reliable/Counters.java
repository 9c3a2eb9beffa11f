package io.natsmigrate.reliable;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.support.JsonParseException;
import io.nats.client.support.JsonParser;
import io.nats.client.support.JsonValue;
import io.natsmigrate.primitives.JetStreamErrorCodes;
import io.natsmigrate.primitives.ServerFeature;
import io.natsmigrate.primitives.Subjects;

import java.io.IOException;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Distributed counters on a 2.12+ counter stream ({@code allow_msg_counter}): every subject of the stream is an
 * arbitrary-precision counter, an increment is a publish with a {@code Nats-Incr} header that the server folds into
 * the running total it returns in the ack. Increments go through a {@link ReliablePublisher}, so each has its own
 * {@code Nats-Msg-Id} and a retry after a lost ack is not counted twice.
 *
 * <p>Moving counters between systems: a counter stream that sources counter streams of other systems aggregates
 * them (the server adds the sourced totals), and keeps each source's contribution in the
 * {@code Nats-Counter-Sources} header, which {@link #sources(String)} reads.
 *
 * <pre>{@code
 * try (Counters counters = Counters.on(nc, "COUNTS")) {
 *     BigInteger now = counters.add("counts.orders", 5);    // the new total
 *     counters.value("counts.orders");                        // read without changing
 * }
 * }</pre>
 */
public final class Counters implements AutoCloseable {

    /** The header a counter increment carries. */
    public static final String INCREMENT_HEADER = "Nats-Incr";
    /** The header in which a counter stream keeps the contribution of each source. */
    public static final String SOURCES_HEADER = "Nats-Counter-Sources";

    private final ReliablePublisher publisher;
    private final boolean ownsPublisher;
    private final JetStreamManagement jsm;
    private final String stream;

    private Counters(ReliablePublisher publisher, boolean owns, JetStreamManagement jsm, String stream) {
        this.publisher = publisher;
        this.ownsPublisher = owns;
        this.jsm = jsm;
        this.stream = stream;
    }

    /**
     * Counters on {@code stream}, incremented through a publisher of their own (closed with them).
     *
     * @throws io.natsmigrate.primitives.ServerTooOldException on servers before 2.12
     * @throws NoSuchStreamException when the stream does not exist
     * @throws NotACounterStreamException when the stream does not allow counters
     */
    public static Counters on(Connection nc, String stream) {
        Objects.requireNonNull(nc, "connection");
        requireCounterStream(nc, stream);
        return new Counters(ReliablePublisher.builder(nc).build(), true, jsm(nc), stream);
    }

    /** As {@link #on(Connection, String)}, incrementing through {@code publisher} (the caller closes it). */
    public static Counters on(ReliablePublisher publisher, String stream) {
        Objects.requireNonNull(publisher, "publisher");
        requireCounterStream(publisher.connection(), stream);
        return new Counters(publisher, false, jsm(publisher.connection()), stream);
    }

    /** Adds {@code delta} (negative to subtract) to the counter {@code subject}; returns its new value. */
    public BigInteger add(String subject, BigInteger delta) {
        Objects.requireNonNull(delta, "delta");
        Subjects.requirePublishSubject(subject);
        PublishAck ack;
        try {
            ack = publisher.publish(subject, new Headers().put(INCREMENT_HEADER, delta.toString()), null,
                    Expectation.none());
        } catch (PublishRejectedException e) {
            if (e.apiErrorCode() == JetStreamErrorCodes.COUNTERS_DISABLED) {
                throw new NotACounterStreamException(subject, stream, "the subject is stored by a stream without"
                        + " allow_msg_counter (error 10168), not by counter stream " + stream);
            }
            throw e;
        }
        if (ack.getVal() == null) {
            throw new NotACounterStreamException(subject, ack.getStream(), "the ack carries no counter value; the"
                    + " subject is stored by stream " + ack.getStream() + ", not by counter stream " + stream);
        }
        return new BigInteger(ack.getVal());
    }

    /** Adds {@code delta} to the counter {@code subject}; returns its new value. */
    public BigInteger add(String subject, long delta) {
        return add(subject, BigInteger.valueOf(delta));
    }

    public BigInteger increment(String subject) {
        return add(subject, BigInteger.ONE);
    }

    public BigInteger decrement(String subject) {
        return add(subject, BigInteger.ONE.negate());
    }

    /** The counter's value now (0 for a subject never counted). */
    public BigInteger value(String subject) {
        MessageInfo last = last(subject);
        if (last == null || last.getData() == null || last.getData().length == 0) {
            return BigInteger.ZERO;
        }
        try {
            JsonValue val = JsonParser.parse(last.getData()).map.get("val");
            return val == null || val.string == null ? BigInteger.ZERO : new BigInteger(val.string);
        } catch (JsonParseException | NumberFormatException | NullPointerException e) {
            throw new NotACounterStreamException(subject, stream, "the last message is no counter value: "
                    + e.getMessage());
        }
    }

    /**
     * What each source contributed to the counter {@code subject}, by source (the sourced stream, as the server
     * names it) and by the subject counted there; empty when the counter has no sources.
     */
    public Map<String, Map<String, BigInteger>> sources(String subject) {
        MessageInfo last = last(subject);
        String header = last == null || last.getHeaders() == null ? null : last.getHeaders().getFirst(SOURCES_HEADER);
        if (header == null || header.isEmpty()) {
            return Map.of();
        }
        try {
            Map<String, Map<String, BigInteger>> out = new LinkedHashMap<>();
            JsonParser.parse(header).map.forEach((source, bySubject) -> {
                Map<String, BigInteger> values = new LinkedHashMap<>();
                bySubject.map.forEach((s, v) -> values.put(s, new BigInteger(v.string)));
                out.put(source, Map.copyOf(values));
            });
            return Map.copyOf(out);
        } catch (JsonParseException | NumberFormatException | NullPointerException e) {
            throw new NotACounterStreamException(subject, stream, "unreadable " + SOURCES_HEADER + " header: "
                    + e.getMessage());
        }
    }

    private MessageInfo last(String subject) {
        Subjects.requirePublishSubject(subject);
        try {
            return jsm.getLastMessage(stream, subject);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == JetStreamErrorCodes.NO_MESSAGE_FOUND) {
                return null;
            }
            throw new PublishRejectedException(subject, null, 0, e.getErrorCode(), e.getApiErrorCode(),
                    e.getErrorDescription());
        } catch (IOException e) {
            throw new ReliablePublishException("Could not read counter " + subject + " of stream " + stream + ": "
                    + e.getMessage(), subject, null, 0, e);
        }
    }

    private static void requireCounterStream(Connection nc, String stream) {
        Objects.requireNonNull(stream, "stream");
        ServerFeature.COUNTERS.requireSupportedBy(nc);
        StreamConfiguration c;
        try {
            c = jsm(nc).getStreamInfo(stream).getConfiguration();
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == JetStreamErrorCodes.STREAM_NOT_FOUND) {
                throw new NoSuchStreamException(stream);
            }
            throw new PublishRejectedException(null, null, 0, e.getErrorCode(), e.getApiErrorCode(),
                    e.getErrorDescription());
        } catch (IOException e) {
            throw new ReliablePublishException("Could not read stream " + stream + ": " + e.getMessage(), null, null,
                    0, e);
        }
        if (!c.getAllowMessageCounter()) {
            throw new NotACounterStreamException(null, stream, "create it with"
                    + " StreamConfiguration.builder().allowMessageCounter() (allow_msg_counter; it cannot be turned on"
                    + " for an existing stream)");
        }
    }

    private static JetStreamManagement jsm(Connection nc) {
        try {
            return nc.jetStreamManagement();
        } catch (IOException e) {
            throw new ReliablePublishException("Could not create a JetStream context: " + e, null, null, 0, e);
        }
    }

    /** Closes the publisher if it is the counters' own. */
    @Override
    public void close() {
        if (ownsPublisher) {
            publisher.close();
        }
    }
}
