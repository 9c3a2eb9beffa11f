package io.natsmigrate.reliable;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.NUID;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.natsmigrate.primitives.JetStreamErrorCodes;
import io.natsmigrate.primitives.ServerFeature;
import io.natsmigrate.primitives.Subjects;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An all-or-nothing group of up to 1,000 messages (nats-server 2.12+, stream {@code allow_atomic}): nothing is
 * stored until {@link #commit}, and then all of it is, or none.
 *
 * <pre>{@code
 * try (AtomicBatch batch = AtomicBatch.start(nc)) {
 *     batch.add("orders.1.created", created, Expectation.lastSubjectSequence(0));  // checked at commit
 *     batch.add("orders.1.reserved", reserved);
 *     BatchAck ack = batch.commit("orders.1.confirmed", confirmed);
 * }   // closing an uncommitted batch discards it
 * }</pre>
 *
 * <p>The first message (and every {@code flowControlEvery}-th) is sent as a request, so a stream without
 * {@code allow_atomic} or a rejected batch fails early; the rest are plain publishes. The commit's ack is
 * validated (stream set, same batch id, same count). Not thread-safe: one batch, one thread.
 */
public final class AtomicBatch implements AutoCloseable {

    /** Header naming the batch. */
    public static final String BATCH_ID = "Nats-Batch-Id";
    /** Header with the message's 1-based position in the batch. */
    public static final String BATCH_SEQUENCE = "Nats-Batch-Sequence";
    /** Header marking the commit: {@code 1} (store this message too) or {@code eob} (2.14+, do not). */
    public static final String BATCH_COMMIT = "Nats-Batch-Commit";
    /** The server's default limit of messages per batch. */
    public static final int DEFAULT_MAX_MESSAGES = 1000;

    private final Connection nc;
    private final String batchId = NUID.nextGlobal();
    private final Duration timeout;
    private final int flowControlEvery;
    private final int maxMessages;
    private int count;
    private String lastSubject;
    private boolean done;

    private AtomicBatch(Connection nc, Duration timeout, int flowControlEvery, int maxMessages) {
        this.nc = nc;
        this.timeout = timeout;
        this.flowControlEvery = flowControlEvery;
        this.maxMessages = maxMessages;
    }

    /**
     * Starts a batch with a 5 s request timeout and a flow-control request every 100 messages.
     *
     * @throws io.natsmigrate.primitives.ServerTooOldException when the server is older than 2.12
     */
    public static AtomicBatch start(Connection nc) {
        return start(nc, Duration.ofSeconds(5), 100, DEFAULT_MAX_MESSAGES);
    }

    /**
     * Starts a batch.
     *
     * @param timeout how long a request in the batch (and the commit) waits for its answer
     * @param flowControlEvery send every n-th message as a request (the first always is)
     * @param maxMessages the server's batch size limit, if it was configured differently
     */
    public static AtomicBatch start(Connection nc, Duration timeout, int flowControlEvery, int maxMessages) {
        Objects.requireNonNull(nc, "connection");
        Objects.requireNonNull(timeout, "timeout");
        if (flowControlEvery < 1 || maxMessages < 1) {
            throw new IllegalArgumentException("flowControlEvery and maxMessages must be at least 1");
        }
        ServerFeature.ATOMIC_BATCH.requireSupportedBy(nc);
        return new AtomicBatch(nc, timeout, flowControlEvery, maxMessages);
    }

    /** The batch id (a NUID). */
    public String batchId() {
        return batchId;
    }

    /** Messages added so far. */
    public int size() {
        return count;
    }

    /** Adds a message. */
    public void add(String subject, byte[] data) {
        add(subject, null, data, Expectation.none());
    }

    /** Adds a message whose expectation is checked when the batch commits. */
    public void add(String subject, byte[] data, Expectation expectation) {
        add(subject, null, data, expectation);
    }

    /**
     * Adds a message with headers; a {@code Nats-Msg-Id} header needs server 2.12.1+.
     *
     * @throws AtomicBatchException when the batch is full, closed, or the server already rejected it
     */
    public void add(String subject, Headers headers, byte[] data, Expectation expectation) {
        send(subject, headers, data, expectation, null);
    }

    /** Adds the final message and commits: all messages are stored, or none. */
    public BatchAck commit(String subject, byte[] data) {
        return commit(subject, null, data, Expectation.none());
    }

    /** Adds the final message (with headers and an expectation) and commits. */
    public BatchAck commit(String subject, Headers headers, byte[] data, Expectation expectation) {
        Message reply = send(subject, headers, data, expectation, "1");
        return validate(reply, subject);
    }

    /**
     * Commits what was added without storing a final message ({@code Nats-Batch-Commit: eob}, server 2.14+).
     *
     * @throws io.natsmigrate.primitives.ServerTooOldException on older servers
     */
    public BatchAck commit() {
        ServerFeature.ATOMIC_BATCH_EOB_COMMIT.requireSupportedBy(nc);
        if (count == 0) {
            throw new IllegalStateException("Nothing to commit: add at least one message to the batch first");
        }
        requireOpen(lastSubject);
        Headers h = new Headers().put(BATCH_ID, batchId).put(BATCH_SEQUENCE, Integer.toString(count + 1))
                .put(BATCH_COMMIT, "eob");
        done = true;
        Message reply = request(NatsMessage.builder().subject(lastSubject).headers(h).build(), lastSubject, true);
        return validate(reply, lastSubject);
    }

    /**
     * Abandons the batch. Nothing was stored; the server forgets it once idle (10 s). Further use fails.
     */
    public void discard() {
        done = true;
    }

    /** Discards the batch unless it was committed. */
    @Override
    public void close() {
        discard();
    }

    private Message send(String subject, Headers headers, byte[] data, Expectation expectation, String commit) {
        Subjects.requirePublishSubject(subject);
        Objects.requireNonNull(expectation, "expectation (use Expectation.none())");
        requireOpen(subject);
        if (count + 1 > maxMessages) {
            done = true;
            throw new AtomicBatchException(AtomicBatchException.Reason.TOO_LARGE, batchId, 0, "a batch holds at most "
                    + maxMessages + " messages; split the work into several batches", subject, count);
        }
        Headers h = headers == null ? new Headers() : new Headers(headers);
        if (h.containsKey(ReliablePublisher.MSG_ID_HEADER)) {
            ServerFeature.ATOMIC_BATCH_MSG_ID.requireSupportedBy(nc);
        }
        if (expectation.usesSubjectFilter()) {
            ServerFeature.EXPECTED_LAST_SUBJECT_SEQUENCE_SUBJECT.requireSupportedBy(nc);
        }
        expectation.applyTo(h);
        count++;
        lastSubject = subject;
        h.put(BATCH_ID, batchId).put(BATCH_SEQUENCE, Integer.toString(count));
        if (commit != null) {
            h.put(BATCH_COMMIT, commit);
            done = true;
        }
        NatsMessage m = NatsMessage.builder().subject(subject).headers(h).data(data == null ? new byte[0] : data).build();
        if (commit != null || count == 1 || count % flowControlEvery == 0) {
            Message reply = request(m, subject, commit != null);
            if (commit == null) {
                throwIfError(reply, subject);
            }
            return reply;
        }
        nc.publish(m);
        return null;
    }

    private Message request(NatsMessage m, String subject, boolean isCommit) {
        // A future, not Connection.request: jnats's blocking request answers a 503 with null, like a timeout.
        CompletableFuture<Message> future = nc.requestWithTimeout(m, timeout);
        try {
            Message reply = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (reply != null && !reply.isStatusMessage()) {
                return reply;
            }
            done = true;
            if (reply != null && PublishErrors.fromStatus(reply) != FailureReason.NO_RESPONDERS) {
                throw new AtomicBatchException(AtomicBatchException.Reason.OTHER, batchId, 0, "server status "
                        + reply.getStatus().getCode(), subject, count);
            }
            throw reply == null ? noAnswer(subject, isCommit) : noResponders(subject);
        } catch (TimeoutException e) {
            done = true;
            throw noAnswer(subject, isCommit);
        } catch (CancellationException | ExecutionException e) {
            done = true;
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            FailureReason reason = PublishErrors.fromFuture(nc, future, cause);
            if (reason == FailureReason.NO_RESPONDERS) {
                throw noResponders(subject);
            }
            throw reason == FailureReason.TIMEOUT ? noAnswer(subject, isCommit)
                    : new AtomicBatchException(isCommit ? AtomicBatchException.Reason.OUTCOME_UNKNOWN
                    : AtomicBatchException.Reason.INCOMPLETE, batchId, 0, "the connection was lost ("
                    + cause + ")" + (isCommit ? "; the batch may or may not be stored: read the stream before"
                    + " re-sending" : "; the batch was not committed"), subject, count);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done = true;
            throw new AtomicBatchException(AtomicBatchException.Reason.OUTCOME_UNKNOWN, batchId, 0, "interrupted",
                    subject, count);
        }
    }

    private AtomicBatchException noAnswer(String subject, boolean isCommit) {
        return new AtomicBatchException(isCommit ? AtomicBatchException.Reason.OUTCOME_UNKNOWN
                : AtomicBatchException.Reason.INCOMPLETE, batchId, 0, "no answer within " + timeout
                + (isCommit ? "; the batch may or may not be stored: read the stream before re-sending"
                : "; the batch was not committed"), subject, count);
    }

    /** 503 no responders: no stream listens to the subject, or its stream is electing a leader. */
    private AtomicBatchException noResponders(String subject) {
        boolean noStream;
        try {
            noStream = nc.jetStreamManagement().getStreamNames(subject).isEmpty();
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            noStream = false; // cannot tell: say what is certain
        }
        return noStream
                ? new AtomicBatchException(AtomicBatchException.Reason.NO_STREAM, batchId, 0, "no stream listens to"
                + " subject \"" + subject + "\": create one whose subjects cover it (with allow_atomic)", subject, count)
                : new AtomicBatchException(AtomicBatchException.Reason.UNAVAILABLE, batchId, 0, "the stream for \""
                + subject + "\" did not answer (no responders: a leader election or a restart); nothing was"
                + " committed, send the batch again", subject, count);
    }

    /** Flow-control replies are empty when all is well, or a publish ack carrying an error. */
    private void throwIfError(Message reply, String subject) {
        if (reply.getData() == null || reply.getData().length == 0) {
            return;
        }
        try {
            new PublishAck(reply);
        } catch (JetStreamApiException e) {
            done = true;
            throw mapApiError(e, subject);
        } catch (IOException ignored) {
            // a flow-control reply that is no error: keep going
        }
    }

    private BatchAck validate(Message reply, String subject) {
        PublishAck ack;
        try {
            ack = new PublishAck(reply);
        } catch (JetStreamApiException e) {
            throw mapApiError(e, subject);
        } catch (IOException e) {
            throw new AtomicBatchException(AtomicBatchException.Reason.INVALID_ACK, batchId, 0,
                    "the commit answer is no publish ack: " + e.getMessage(), subject, count);
        }
        int expectedCount = count;
        if (ack.getStream() == null || ack.getStream().isEmpty() || !batchId.equals(ack.getBatchId())
                || ack.getBatchSize() != expectedCount) {
            throw new AtomicBatchException(AtomicBatchException.Reason.INVALID_ACK, batchId, 0, "the commit ack says"
                    + " stream=" + ack.getStream() + ", batch=" + ack.getBatchId() + ", count=" + ack.getBatchSize()
                    + " but this batch has " + expectedCount + " message(s)", subject, count);
        }
        return new BatchAck(ack.getStream(), ack.getSeqno(), ack.getBatchId(), ack.getBatchSize());
    }

    private ReliablePublishException mapApiError(JetStreamApiException e, String subject) {
        int api = e.getApiErrorCode();
        ExpectationFailedException.Kind expectation = PublishErrors.expectationKind(api);
        if (expectation != null) {
            return new ExpectationFailedException(expectation, api, e.getErrorDescription(), subject, null, count);
        }
        AtomicBatchException.Reason reason = switch (api) {
            case JetStreamErrorCodes.ATOMIC_PUBLISH_DISABLED -> AtomicBatchException.Reason.NOT_ENABLED;
            case JetStreamErrorCodes.ATOMIC_PUBLISH_TOO_LARGE -> AtomicBatchException.Reason.TOO_LARGE;
            case JetStreamErrorCodes.ATOMIC_PUBLISH_INCOMPLETE -> AtomicBatchException.Reason.INCOMPLETE;
            case JetStreamErrorCodes.ATOMIC_PUBLISH_TOO_MANY_INFLIGHT -> AtomicBatchException.Reason.TOO_MANY_IN_FLIGHT;
            case JetStreamErrorCodes.ATOMIC_PUBLISH_DUPLICATE_MSG_ID -> AtomicBatchException.Reason.DUPLICATE_MSG_ID;
            case JetStreamErrorCodes.ATOMIC_PUBLISH_UNSUPPORTED_HEADER -> AtomicBatchException.Reason.UNSUPPORTED_HEADER;
            default -> AtomicBatchException.Reason.OTHER;
        };
        String fix = reason == AtomicBatchException.Reason.NOT_ENABLED
                ? "; enable it with StreamConfiguration.builder().allowAtomicPublish(true)" : "";
        return new AtomicBatchException(reason, batchId, api, e.getErrorDescription() + fix, subject, count);
    }

    private void requireOpen(String subject) {
        if (done) {
            throw new AtomicBatchException(AtomicBatchException.Reason.CLOSED, batchId, 0,
                    "the batch was already committed or discarded; start a new one", subject, count);
        }
    }
}
