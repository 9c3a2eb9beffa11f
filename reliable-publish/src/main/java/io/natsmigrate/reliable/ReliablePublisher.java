package io.natsmigrate.reliable;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.Message;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.natsmigrate.primitives.JetStreamErrorCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes to JetStream so that every message is stored exactly once or reported as failed: a Msg-Id chosen
 * once per message and reused on every retry, retries with backoff on transient failures, a bounded in-flight
 * window, and a close that says exactly which messages were not confirmed.
 *
 * <pre>{@code
 * try (ReliablePublisher publisher = ReliablePublisher.builder(nc)
 *         .retryPolicy(RetryPolicy.builder().deadline(Duration.ofSeconds(60)).build())
 *         .maxInFlight(1000)
 *         .build()) {
 *     PublishAck ack = publisher.publish("orders.created", payload);          // sync
 *     publisher.publishAsync("orders.created", payload)                       // async, bounded window
 *              .whenComplete((a, e) -> ...);
 * }                                                                           // waits for every ack
 * }</pre>
 *
 * <p><b>Retried</b> (until attempts or deadline run out, then {@link RetriesExhaustedException}): ack timeout,
 * 503 no responders, connection loss and reconnect, API 429, API 503, 10158 (same Msg-Id in process).
 * <b>Failed at once</b>: no stream for the subject ({@link NoStreamForSubjectException}), payload over
 * {@code max_payload} or {@code max_msg_size} ({@link PayloadTooLargeException}), a failed {@link Expectation}
 * ({@link ExpectationFailedException}), a permission violation ({@link PermissionViolationException}), any
 * other API error ({@link PublishRejectedException}). Errors are classified by API error codes and by jnats's
 * request-future state, never by message text; the one exception is a permissions violation, which the server
 * reports only as a protocol {@code -ERR} line that jnats exposes as text ({@code Connection.getLastError()}).
 *
 * <p>A duplicate ack ({@code PublishAck.isDuplicate()}) is a success: the stream already holds the message.
 * See {@link Ordering} for the ordering guarantee.
 */
public final class ReliablePublisher implements AutoCloseable {

    /** The header JetStream deduplicates on. */
    public static final String MSG_ID_HEADER = io.nats.client.support.NatsJetStreamConstants.MSG_ID_HDR;

    private static final Logger LOG = LoggerFactory.getLogger(ReliablePublisher.class);

    private final Connection nc;
    private final RetryPolicy retryPolicy;
    private final int maxInFlight;
    private final Ordering ordering;
    private final DedupWindowCheck dedupWindowCheck;
    private final String expectedStream;
    private final List<PublishListener> listeners;
    private final Duration closeTimeout;

    private final MessagePreparation preparation;
    private final InFlightWindow window;
    private final RetryScheduling retries;
    private final StreamDirectory streams;
    private final SubjectLanes<Pending> lanes = new SubjectLanes<>(this::send);
    private final Set<String> checkedStreams = ConcurrentHashMap.newKeySet();
    private final Map<Long, Pending> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Object drained = new Object();
    private final PublisherStats.Counters counters = new PublisherStats.Counters();
    private volatile boolean closed;

    private ReliablePublisher(Builder b) throws IOException {
        this.nc = b.nc;
        this.retryPolicy = b.retryPolicy;
        this.maxInFlight = b.maxInFlight;
        this.ordering = b.ordering;
        this.dedupWindowCheck = b.dedupWindowCheck;
        this.expectedStream = b.expectedStream;
        this.listeners = List.copyOf(b.listeners);
        this.closeTimeout = b.closeTimeout;
        this.preparation = new MessagePreparation(nc, b.msgIds, b.expectedStream);
        this.window = new InFlightWindow(maxInFlight, b.backpressure, listeners, inFlight::size);
        JetStreamManagement jsm = nc.jetStreamManagement(JetStreamOptions.builder()
                .requestTimeout(retryPolicy.attemptTimeout()).build());
        this.streams = new StreamDirectory(jsm);
        this.retries = new RetryScheduling(retryPolicy, b.scheduler);
    }

    /** Starts configuring a publisher on {@code connection}. */
    public static Builder builder(Connection connection) {
        return new Builder(connection);
    }

    // ------------------------------------------------------------------------------------------ publish API

    /** Publishes and waits for the ack (or the final failure). */
    public PublishAck publish(String subject, byte[] data) {
        return await(publishAsync(subject, null, data, PublishOptions.defaults()));
    }

    /** Publishes and waits for the ack, checking {@code expectation} on the server. */
    public PublishAck publish(String subject, byte[] data, Expectation expectation) {
        return await(publishAsync(subject, null, data, expectation));
    }

    /** Publishes a message (its headers, including a caller-chosen {@code Nats-Msg-Id}, are kept) and waits. */
    public PublishAck publish(Message message) {
        Objects.requireNonNull(message, "message");
        return await(publishAsync(message.getSubject(), message.getHeaders(), message.getData(),
                PublishOptions.defaults()));
    }

    /** Publishes with headers and an expectation, and waits. */
    public PublishAck publish(String subject, Headers headers, byte[] data, Expectation expectation) {
        return await(publishAsync(subject, headers, data, expectation));
    }

    /** Publishes with headers and per-message options, and waits. */
    public PublishAck publish(String subject, Headers headers, byte[] data, PublishOptions options) {
        return await(publishAsync(subject, headers, data, options));
    }

    /** Publishes without waiting; the future completes with the ack or a {@link ReliablePublishException}. */
    public CompletableFuture<PublishAck> publishAsync(String subject, byte[] data) {
        return publishAsync(subject, null, data, PublishOptions.defaults());
    }

    /** Publishes a message without waiting. */
    public CompletableFuture<PublishAck> publishAsync(Message message) {
        Objects.requireNonNull(message, "message");
        return publishAsync(message.getSubject(), message.getHeaders(), message.getData(), PublishOptions.defaults());
    }

    /** Publishes with headers and an expectation, without waiting. */
    public CompletableFuture<PublishAck> publishAsync(String subject, Headers headers, byte[] data,
                                                      Expectation expectation) {
        Objects.requireNonNull(expectation, "expectation (use Expectation.none())");
        return publishAsync(subject, headers, data, PublishOptions.builder().expectation(expectation).build());
    }

    /**
     * As {@link #publishAsync(String, Headers, byte[], Expectation)}, but waits at most {@code maxWaitForSlot} for
     * room in the in-flight window (whatever the configured {@link Backpressure}); after that the future fails with
     * {@link InFlightLimitException} and nothing is sent. For callers that must bound how long JetStream can hold
     * them up, such as the dual publisher's legacy path.
     */
    public CompletableFuture<PublishAck> publishAsync(String subject, Headers headers, byte[] data,
                                                      Expectation expectation, Duration maxWaitForSlot) {
        Objects.requireNonNull(expectation, "expectation (use Expectation.none())");
        PublishOptions.Builder o = PublishOptions.builder().expectation(expectation);
        if (maxWaitForSlot != null) {
            o.maxWaitForSlot(maxWaitForSlot);
        }
        return publishAsync(subject, headers, data, o.build());
    }

    /**
     * Publishes without waiting, with per-message {@code options}. Blocks while the in-flight window is full (see
     * {@link Backpressure} and {@link PublishOptions#maxWaitForSlot()}).
     *
     * <p>Every failure of a well-formed call reaches the caller the same way, through the future, as a
     * {@link ReliablePublishException}: no stream for the subject, a full window with {@link Backpressure#FAIL_FAST},
     * a closed publisher, a duplicate window shorter than the deadline, and everything the server answers. Only
     * malformed arguments throw at once:
     *
     * @throws io.natsmigrate.primitives.InvalidSubjectException for a null, empty, malformed or wildcard subject
     * @throws PayloadTooLargeException when the message exceeds the server's {@code max_payload} or the stream's
     *                                  {@code max_msg_size}
     * @throws NullPointerException for null options
     */
    public CompletableFuture<PublishAck> publishAsync(String subject, Headers headers, byte[] data,
                                                      PublishOptions options) {
        Objects.requireNonNull(options, "options (use PublishOptions.defaults())");
        MessagePreparation.Prepared m = preparation.prepare(subject, headers, data, options.expectation());
        counters.published.incrementAndGet();
        if (closed) {
            return failedEarly(m, new PublisherClosedException("The publisher is closed; build a new one", subject,
                    m.msgId(), 0));
        }
        ReliablePublishException refused = checkStream(m);
        if (refused == null) {
            refused = window.acquire(subject, options.maxWaitForSlot());
        }
        if (refused != null) {
            return failedEarly(m, refused);
        }
        Duration attemptTimeout = options.attemptTimeout() != null ? options.attemptTimeout()
                : retryPolicy.attemptTimeout();
        Duration deadline = options.deadline() != null ? options.deadline() : retryPolicy.deadline();
        Pending p = new Pending(ids.incrementAndGet(), m, attemptTimeout, deadline);
        inFlight.put(p.id, p);
        if (ordering == Ordering.PER_SUBJECT) {
            lanes.offer(subject, p);
        } else {
            send(p);
        }
        return p.result;
    }

    // ------------------------------------------------------------------------------------------ flush / close

    /**
     * Waits until every message published so far is acked or failed, at most {@code timeout}.
     *
     * @return which messages are still unconfirmed (empty when all are done)
     */
    public FlushReport flush(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (drained) {
            while (!inFlight.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                drained.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
        return report();
    }

    /** Messages without an ack right now. */
    public FlushReport report() {
        List<UnconfirmedMessage> list = new ArrayList<>();
        inFlight.values().stream().sorted(Comparator.comparingLong(p -> p.id))
                .forEach(p -> list.add(new UnconfirmedMessage(p.subject, p.msgId, p.attempts, p.lastReason)));
        return new FlushReport(list);
    }

    /** Counts of what this publisher did so far: {@code published = acked + failed + inFlight} at rest. */
    public PublisherStats stats() {
        return counters.snapshot(inFlight.size(), window.waiting());
    }

    /** The most messages in flight at once. */
    public int maxInFlight() {
        return maxInFlight;
    }

    /**
     * Stops accepting messages and waits up to the close timeout for outstanding acks. Messages still unconfirmed
     * then fail with {@link PublisherClosedException} and are listed in the thrown
     * {@link UnconfirmedMessagesException}; nothing is dropped silently. Does not close the connection, nor a
     * scheduler given with {@link Builder#scheduler}.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        FlushReport report;
        try {
            report = flush(closeTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            report = report();
        }
        retries.shutdown();
        if (!report.allConfirmed()) {
            for (Pending p : List.copyOf(inFlight.values())) {
                fail(p, new PublisherClosedException("The publisher closed before the message to \"" + p.subject
                        + "\" (Msg-Id " + p.msgId + ") was confirmed", p.subject, p.msgId, p.attempts));
            }
            throw new UnconfirmedMessagesException(report);
        }
    }

    /** The stream that stores {@code subject}, as this publisher knows it (shared with the CAS helpers). */
    StreamDirectory.Result streamFor(String subject) {
        return streams.forSubject(subject);
    }

    /** The connection this publisher sends on. */
    Connection connection() {
        return nc;
    }

    // ------------------------------------------------------------------------------------------ internals

    /** Refusals known before sending: no stream listens, or its duplicate window is too short to retry in. */
    private ReliablePublishException checkStream(MessagePreparation.Prepared m) {
        StreamDirectory.Result r = streams.forSubject(m.subject());
        if (r.lookup() == StreamDirectory.Lookup.NONE) {
            return new NoStreamForSubjectException(m.subject(), m.msgId());
        }
        if (r.lookup() == StreamDirectory.Lookup.FOUND) {
            StreamDirectory.StreamFacts s = r.stream();
            if (s.maxMsgSize() > 0 && m.size() > s.maxMsgSize()) {
                throw new PayloadTooLargeException(m.subject(), m.msgId(), m.size(), s.maxMsgSize(),
                        "max_msg_size of stream " + s.name(), 0);
            }
            try {
                checkDedupWindow(s);
            } catch (DedupWindowTooShortException e) {
                return e;
            }
        }
        return null;
    }

    private CompletableFuture<PublishAck> failedEarly(MessagePreparation.Prepared m, ReliablePublishException e) {
        counters.failed.incrementAndGet();
        listeners.forEach(l -> l.failed(m.subject(), m.msgId(), e));
        return CompletableFuture.failedFuture(e);
    }

    private void checkDedupWindow(StreamDirectory.StreamFacts s) {
        if (dedupWindowCheck == DedupWindowCheck.OFF || checkedStreams.contains(s.name())) {
            return;
        }
        Duration window = s.duplicateWindow() == null ? Duration.ZERO : s.duplicateWindow();
        if (retryPolicy.deadline().compareTo(window) > 0) {
            DedupWindowTooShortException e = new DedupWindowTooShortException(s.name(), window, retryPolicy.deadline());
            if (dedupWindowCheck == DedupWindowCheck.REFUSE) {
                throw e;
            }
            LOG.warn(e.getMessage());
        }
        checkedStreams.add(s.name());
    }

    private void send(Pending p) {
        if (p.firstAttemptNanos == 0) {
            p.firstAttemptNanos = System.nanoTime();
        }
        // No responders is what a leader election answers, but also what a deleted stream answers: ask again.
        if (p.lastReason == FailureReason.NO_RESPONDERS
                && streams.recheck(p.subject) == StreamDirectory.Lookup.NONE) {
            fail(p, new NoStreamForSubjectException(p.subject, p.msgId));
            return;
        }
        p.attempts++;
        listeners.forEach(l -> l.published(p.subject, p.msgId, p.attempts));
        CompletableFuture<Message> reply;
        try {
            reply = nc.requestWithTimeout(p.message, p.attemptTimeout);
        } catch (IllegalStateException closedOrDraining) {
            // jnats throws this synchronously only for a closed or draining connection: nothing can be sent.
            fail(p, new PublisherClosedException("The connection is " + nc.getStatus() + "; the message to \""
                    + p.subject + "\" (Msg-Id " + p.msgId + ") was not confirmed", p.subject, p.msgId, p.attempts));
            return;
        }
        reply.orTimeout(p.attemptTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((msg, error) -> onReply(p, reply, msg, error));
    }

    private void onReply(Pending p, CompletableFuture<Message> future, Message msg, Throwable error) {
        if (error == null && msg != null && !msg.isStatusMessage()) {
            PublishAck ack;
            try {
                ack = new PublishAck(msg);
            } catch (JetStreamApiException e) {
                PublishErrors.Verdict v = PublishErrors.fromApiError(e, retryPolicy, p.subject, p.msgId, p.attempts,
                        p.size);
                if (v.failure() != null) {
                    fail(p, v.failure());
                } else {
                    retryOrFail(p, v.retry(), e);
                }
                return;
            } catch (IOException | RuntimeException e) {
                fail(p, new PublishRejectedException(p.subject, p.msgId, p.attempts, 0, 0,
                        "unreadable publish ack: " + e.getMessage()));
                return;
            }
            succeed(p, ack);
            return;
        }
        if (error == null) {
            retryOrFail(p, PublishErrors.fromStatus(msg), null); // a status reply instead of an ack
            return;
        }
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (nc.getStatus() == Connection.Status.CLOSED) {
            fail(p, new PublisherClosedException("The connection closed before the message to \"" + p.subject
                    + "\" (Msg-Id " + p.msgId + ") was confirmed", p.subject, p.msgId, p.attempts));
            return;
        }
        retryOrFail(p, PublishErrors.fromFuture(nc, future, cause), cause);
    }

    private void retryOrFail(Pending p, FailureReason reason, Throwable cause) {
        p.lastReason = reason;
        if (reason == FailureReason.TIMEOUT) {
            var denied = PublishErrors.permissionViolation(nc, p.subject);
            if (denied.isPresent()) {
                fail(p, new PermissionViolationException(p.subject, p.msgId, p.attempts, denied.get()));
                return;
            }
        }
        RetryScheduling.Decision next = retries.decide(p.attempts, p.firstAttemptNanos, p.deadline);
        if (next.delay() == null) {
            fail(p, new RetriesExhaustedException(p.subject, p.msgId, p.attempts, reason, next.exhausted(), cause));
            return;
        }
        counters.retries.incrementAndGet();
        listeners.forEach(l -> l.retried(p.subject, p.msgId, p.attempts, reason, next.delay()));
        if (!retries.schedule(() -> send(p), next.delay())) {
            fail(p, new PublisherClosedException("The publisher closed while the message to \"" + p.subject
                    + "\" (Msg-Id " + p.msgId + ") waited for a retry", p.subject, p.msgId, p.attempts));
        }
    }

    private void succeed(Pending p, PublishAck ack) {
        if (!finish(p)) {
            return;
        }
        counters.acked.incrementAndGet();
        if (ack.isDuplicate()) {
            counters.duplicates.incrementAndGet();
            listeners.forEach(l -> l.duplicate(p.subject, p.msgId, ack));
        } else {
            listeners.forEach(l -> l.acked(p.subject, p.msgId, ack));
        }
        p.result.complete(ack);
    }

    private void fail(Pending p, ReliablePublishException e) {
        if (!finish(p)) {
            return;
        }
        counters.failed.incrementAndGet();
        listeners.forEach(l -> l.failed(p.subject, p.msgId, e));
        p.result.completeExceptionally(e);
    }

    /** Removes a message from the in-flight set exactly once; frees its slot and lets its lane move on. */
    private boolean finish(Pending p) {
        if (inFlight.remove(p.id) == null) {
            return false;
        }
        window.release();
        if (ordering == Ordering.PER_SUBJECT) {
            lanes.finished(p.subject);
        }
        if (inFlight.isEmpty()) {
            synchronized (drained) {
                drained.notifyAll();
            }
        }
        return true;
    }

    private static PublishAck await(CompletableFuture<PublishAck> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ReliablePublishException r) {
                throw r;
            }
            throw new ReliablePublishException("Publish failed: " + e.getCause(), null, null, 0, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReliablePublishException("Interrupted while waiting for the ack; the message may still be"
                    + " stored (its future completes later)", null, null, 0, e);
        }
    }

    /** One message on its way: the same NatsMessage (and so the same Msg-Id) is sent on every attempt. */
    private static final class Pending {
        final long id;
        final String subject;
        final String msgId;
        final NatsMessage message;
        final long size;
        final Duration attemptTimeout;
        final Duration deadline;
        final CompletableFuture<PublishAck> result = new CompletableFuture<>();
        volatile int attempts;
        volatile long firstAttemptNanos;
        volatile FailureReason lastReason;

        Pending(long id, MessagePreparation.Prepared m, Duration attemptTimeout, Duration deadline) {
            this.id = id;
            this.subject = m.subject();
            this.msgId = m.msgId();
            this.message = m.message();
            this.size = m.size();
            this.attemptTimeout = attemptTimeout;
            this.deadline = deadline;
        }
    }

    /**
     * Configures a {@link ReliablePublisher}. Defaults: {@link RetryPolicy#defaults()}, NUID Msg-Ids, 1,000 in
     * flight, {@link Backpressure#BLOCK}, {@link Ordering#UNORDERED}, {@link DedupWindowCheck#REFUSE}, 30 s close
     * timeout.
     */
    public static final class Builder {
        private final Connection nc;
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private MsgIdStrategy msgIds = MsgIdStrategy.nuid();
        private int maxInFlight = 1000;
        private Backpressure backpressure = Backpressure.BLOCK;
        private Ordering ordering = Ordering.UNORDERED;
        private DedupWindowCheck dedupWindowCheck = DedupWindowCheck.REFUSE;
        private String expectedStream;
        private final List<PublishListener> listeners = new ArrayList<>();
        private Duration closeTimeout = Duration.ofSeconds(30);
        private ScheduledExecutorService scheduler;

        private Builder(Connection nc) {
            this.nc = Objects.requireNonNull(nc, "connection");
        }

        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** How Msg-Ids are chosen for messages that do not carry one. */
        public Builder msgIdStrategy(MsgIdStrategy strategy) {
            this.msgIds = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        /** Most messages awaiting their ack at once (>= 1). */
        public Builder maxInFlight(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxInFlight must be at least 1, was " + max);
            }
            this.maxInFlight = max;
            return this;
        }

        public Builder backpressure(Backpressure backpressure) {
            this.backpressure = Objects.requireNonNull(backpressure, "backpressure");
            return this;
        }

        public Builder ordering(Ordering ordering) {
            this.ordering = Objects.requireNonNull(ordering, "ordering");
            return this;
        }

        public Builder dedupWindowCheck(DedupWindowCheck check) {
            this.dedupWindowCheck = Objects.requireNonNull(check, "check");
            return this;
        }

        /**
         * Every message must land in this stream (header {@code Nats-Expected-Stream}); also checks the stream
         * exists and its duplicate window when the publisher is built.
         */
        public Builder stream(String stream) {
            Objects.requireNonNull(stream, "stream");
            if (stream.isBlank() || stream.chars().anyMatch(c -> c == '.' || c == '*' || c == '>' || c <= ' ')) {
                throw new IllegalArgumentException("Stream name \"" + stream + "\" is invalid: no spaces, '.', '*'"
                        + " or '>'");
            }
            this.expectedStream = stream;
            return this;
        }

        public Builder listener(PublishListener listener) {
            this.listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Runs retries on the caller's scheduler instead of a thread of the publisher's own (default: one daemon
         * thread per publisher). The publisher never shuts it down.
         */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** How long {@link ReliablePublisher#close()} waits for outstanding acks. */
        public Builder closeTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("closeTimeout must not be negative, was " + timeout);
            }
            this.closeTimeout = timeout;
            return this;
        }

        /**
         * Builds the publisher.
         *
         * @throws PublisherClosedException when the connection is closed
         * @throws NoSuchStreamException when {@link #stream(String)} names a stream that does not exist
         * @throws DedupWindowTooShortException when that stream's duplicate window is shorter than the retry
         *                                      deadline and the check is {@link DedupWindowCheck#REFUSE}
         */
        public ReliablePublisher build() {
            if (nc.getStatus() == Connection.Status.CLOSED) {
                throw new PublisherClosedException("The connection is closed; connect first", null, null, 0);
            }
            ReliablePublisher p;
            try {
                p = new ReliablePublisher(this);
            } catch (IOException e) {
                throw new ReliablePublishException("Could not create a JetStream context: " + e, null, null, 0, e);
            }
            if (expectedStream != null) {
                try {
                    p.streams.byName(expectedStream).ifPresent(p::checkDedupWindow);
                } catch (JetStreamApiException e) {
                    p.retries.shutdown();
                    if (e.getApiErrorCode() == JetStreamErrorCodes.STREAM_NOT_FOUND) {
                        throw new NoSuchStreamException(expectedStream);
                    }
                    throw new PublishRejectedException(null, null, 0, e.getErrorCode(), e.getApiErrorCode(),
                            e.getErrorDescription());
                } catch (IOException e) {
                    LOG.warn("Could not read stream {} to check its duplicate window now ({}); it is checked on"
                            + " first publish", expectedStream, e.toString());
                } catch (RuntimeException e) {
                    p.retries.shutdown();
                    throw e;
                }
            }
            p.listeners.forEach(l -> l.attached(p));
            return p;
        }
    }
}
