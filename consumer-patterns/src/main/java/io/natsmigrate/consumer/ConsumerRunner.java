package io.natsmigrate.consumer;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.natsmigrate.core.Provisioning;
import io.natsmigrate.primitives.DaemonThreads;
import io.natsmigrate.primitives.JetStreamErrorCodes;
import io.natsmigrate.primitives.PermissionDeniedException;
import io.natsmigrate.primitives.PermissionViolations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a handler over a durable pull consumer: created idempotently (create-or-update, never deleted and
 * recreated), bounded concurrency, automatic in-progress heartbeats for long handlers, optional idempotent
 * handling, recovery after reconnects and server restarts, and a graceful drain on close. Messages are pulled
 * with jnats's simplified fetch API, up to {@code batchSize} at a time and only while a handler is free; fetched
 * messages waiting for a handler get in-progress heartbeats like the ones being handled, so a slow handler never
 * lets a waiting message's {@code ack_wait} run out.
 *
 * <p>A consumer with priority groups is pulled with its first group. With the pinned-client policy (the
 * translation of RabbitMQ's single active consumer) it is pulled through jnats's iterating consumer, which keeps
 * the pin, since jnats refuses {@code fetch} on a pinned consumer; on close the runner releases the pin, so another
 * runner takes over at once instead of after the pin's TTL.
 *
 * <p><b>Effectively once with an {@link IdempotencyStore}</b>: the Msg-Id is recorded after the handler
 * succeeded and before the ack, and the record is retried through reconnects and leader elections while the
 * message is kept in progress, so a message whose handler succeeded is never handed to the handler again. The one
 * remaining window: the application itself crashes (or is closed past its drain timeout) between the handler's
 * success and the record; the message is then redelivered and handled again.
 *
 * <pre>{@code
 * try (ConsumerRunner runner = ConsumerRunner.builder(nc, "ORDERS",
 *              ConsumerConfiguration.builder().durable("billing").ackWait(Duration.ofSeconds(30)).maxDeliver(5)
 *                      .backoff(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30)).build())
 *         .handler(d -> bill(d.message()) ? Outcome.ack() : Outcome.term("unknown customer"))
 *         .concurrency(8)
 *         .build()) {
 *     ...
 * }   // stops fetching, finishes and settles what was fetched
 * }</pre>
 */
public final class ConsumerRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerRunner.class);
    private static final long RECORD_BACKOFF_MIN_MILLIS = 50;
    private static final long RECORD_BACKOFF_MAX_MILLIS = 1_000;

    private final Connection nc;
    private final String stream;
    private final String consumer;
    /** The consumer's first priority group, which every pull must name (null: none). */
    private final FetchLoop.PullGroup priorityGroup;
    private final MessageHandler handler;
    private final int concurrency;
    private final int batchSize;
    private final Duration heartbeatEvery;
    private final IdempotencyStore idempotency;
    private final Duration drainTimeout;
    /** Monitor the fetch loop waits on until a handler is free. */
    private final Object capacity = new Object();
    /** Set by close(): when a record retry gives up. */
    private volatile long closingDeadline = Long.MAX_VALUE;
    private final ExecutorService workers;
    private final ScheduledExecutorService heartbeats;
    private final Thread fetcher;
    private volatile boolean running = true;
    private final java.util.concurrent.atomic.AtomicReference<RuntimeException> failure =
            new java.util.concurrent.atomic.AtomicReference<>();
    /** Msg-Ids being handled right now (with an idempotency store), so a redelivery waits for the first. */
    private final Map<String, CompletableFuture<Void>> handlingIds = new ConcurrentHashMap<>();
    /** Deliveries fetched and not yet settled, with when they were fetched; scanned by the heartbeat task. */
    private final Map<Delivery, Long> inHandling = new ConcurrentHashMap<>();

    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong naked = new AtomicLong();
    private final AtomicLong termed = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong heartbeatsSent = new AtomicLong();
    private final AtomicLong handledCount = new AtomicLong();
    private final AtomicLong redelivered = new AtomicLong();
    private final AtomicLong handlerNanos = new AtomicLong();
    private final AtomicLong handling = new AtomicLong();

    private ConsumerRunner(Builder b, Duration ackWait) {
        this.nc = b.nc;
        this.stream = b.stream;
        this.consumer = b.config.getDurable();
        List<String> groups = b.config.getPriorityGroups();
        this.priorityGroup = groups == null || groups.isEmpty() ? null : new FetchLoop.PullGroup(groups.get(0),
                b.config.getPriorityPolicy() == io.nats.client.api.PriorityPolicy.PinnedClient);
        this.handler = b.handler;
        this.concurrency = b.concurrency;
        this.batchSize = b.batchSize;
        this.heartbeatEvery = Duration.ofMillis(Math.max(10, (long) (ackWait.toMillis() * b.heartbeatFraction)));
        this.idempotency = b.idempotency;
        this.drainTimeout = b.drainTimeout;
        this.workers = Executors.newFixedThreadPool(concurrency, DaemonThreads.named("natsmigrate-runner-" + consumer));
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("natsmigrate-heartbeat-" + consumer));
        this.fetcher = DaemonThreads.create(this::fetchLoop, "natsmigrate-fetch-" + consumer);
        long period = Math.max(5, heartbeatEvery.toMillis() / 2);
        heartbeats.scheduleAtFixedRate(this::beat, period, period, TimeUnit.MILLISECONDS);
    }


    /** Starts configuring a runner for the durable consumer {@code config} on {@code stream}. */
    public static Builder builder(Connection nc, String stream, ConsumerConfiguration config) {
        return new Builder(nc, stream, config);
    }

    /**
     * Fetches only when a handler is free, and registers every fetched message at once, so the heartbeat keeps
     * the ones waiting for a handler alive too: nothing fetched is redelivered because it waited longer than
     * ack_wait.
     */
    private void fetchLoop() {
        try {
            FetchLoop.run(nc, stream, consumer, priorityGroup, this::awaitFreeHandler, () -> running, m -> {
                Delivery[] self = new Delivery[1];
                Delivery d = new Delivery(m, () -> release(self[0]));
                self[0] = d;
                inHandling.put(d, System.nanoTime());
                workers.execute(() -> handle(d));
            });
        } catch (PermissionDeniedException e) {
            failure.set(e);
            running = false;
            LOG.error("{} > {}: stopped fetching: {}", stream, consumer, e.getMessage());
        }
    }

    /**
     * Why the runner stopped fetching by itself, if it did: a {@link PermissionDeniedException} when the server
     * denied the consumer's pull requests, its acks or the inbox (a denied pull is never answered; without this the
     * runner would wait for messages for ever). Empty while it runs normally.
     */
    public java.util.Optional<RuntimeException> failure() {
        return java.util.Optional.ofNullable(failure.get());
    }

    /** Waits until fewer messages than handlers are unsettled; then a whole batch may be fetched. */
    private int awaitFreeHandler() throws InterruptedException {
        synchronized (capacity) {
            while (running && inHandling.size() >= concurrency) {
                capacity.wait(100);
            }
        }
        return batchSize;
    }

    private void release(Delivery d) {
        inHandling.remove(d); // however it is settled: by the outcome or later by the handler
        synchronized (capacity) {
            capacity.notifyAll();
        }
    }

    /** Sends in-progress for every unsettled delivery (handled or waiting) held longer than half the period. */
    private void beat() {
        long now = System.nanoTime();
        for (Map.Entry<Delivery, Long> e : inHandling.entrySet()) {
            if (!e.getKey().isSettled() && now - e.getValue() >= heartbeatEvery.toNanos() / 2) {
                e.getKey().message().inProgress(); // resets ack_wait on the server: no redelivery
                heartbeatsSent.incrementAndGet();
            }
        }
    }

    private void handle(Delivery d) {
        String msgId = idempotency == null ? null : d.msgId();
        if (msgId == null) {
            handleOnce(d, null);
            return;
        }
        // A redelivery can reach this runner while the first delivery is still here (after a server restart, or
        // while its record is retried): it waits for that one to finish, then finds the Msg-Id recorded.
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> earlier;
        while ((earlier = handlingIds.putIfAbsent(msgId, mine)) != null) {
            earlier.join();
        }
        try {
            handleOnce(d, msgId);
        } finally {
            handlingIds.remove(msgId, mine);
            mine.complete(null);
        }
    }

    private void handleOnce(Delivery d, String msgId) {
        Message m = d.message();
        if (m.isJetStream() && m.metaData().deliveredCount() > 1) {
            redelivered.incrementAndGet();
        }
        try {
            if (msgId != null && idempotency.seen(msgId)) {
                skipped.incrementAndGet();
                settle(d, Outcome.ack());
                return;
            }
            Outcome o = timed(d);
            Objects.requireNonNull(o, "the handler returned no Outcome");
            if (o.kind() == Outcome.Kind.ACK && msgId != null && !recordUntilStored(d, msgId)) {
                return; // given up at close: left unsettled, the server redelivers it (see recordUntilStored)
            }
            if (o.kind() == Outcome.Kind.IN_PROGRESS) {
                return; // the handler settles it later; heartbeats go on until then
            }
            settle(d, o);
        } catch (Exception e) {
            failures.incrementAndGet();
            LOG.warn("Handler failed on {} seq {}: {}", stream, m.metaData().streamSequence(), e.toString());
            settle(d, Outcome.nak());
        }
    }

    /** Runs the handler, counting the call, its time and how many run at once. */
    private Outcome timed(Delivery d) throws Exception {
        handling.incrementAndGet();
        long start = System.nanoTime();
        try {
            return handler.handle(d);
        } finally {
            handlerNanos.addAndGet(System.nanoTime() - start);
            handledCount.incrementAndGet();
            handling.decrementAndGet();
        }
    }

    /**
     * Records a handled Msg-Id before the ack, retrying through reconnects and leader elections while the heartbeat
     * keeps the message in progress: a record lost to a server crash would let the redelivery run the handler
     * again. Gives up only when the runner is closing and its drain timeout has passed; the message is then left
     * unsettled and its handler will run again when the server redelivers it.
     */
    private boolean recordUntilStored(Delivery d, String msgId) throws InterruptedException {
        long backoff = RECORD_BACKOFF_MIN_MILLIS;
        for (int attempt = 1; ; attempt++) {
            try {
                idempotency.record(msgId);
                if (attempt > 1) {
                    LOG.info("{} > {}: recorded Msg-Id {} after {} attempts", stream, consumer, msgId, attempt);
                }
                return true;
            } catch (Exception e) {
                if (!running && System.nanoTime() > closingDeadline) {
                    LOG.error("{} > {}: could not record Msg-Id {} as processed before the drain timeout ({}); it"
                            + " stays unacknowledged and its handler will run again on redelivery", stream, consumer,
                            msgId, e.toString());
                    release(d);
                    return false;
                }
                if (attempt == 1) {
                    LOG.warn("{} > {}: recording Msg-Id {} failed ({}); retrying while the message is kept in"
                            + " progress", stream, consumer, msgId, e.toString());
                }
                Thread.sleep(backoff);
                backoff = Math.min(RECORD_BACKOFF_MAX_MILLIS, backoff * 2);
            }
        }
    }

    private void settle(Delivery d, Outcome o) {
        if (d.settle(o)) {
            switch (o.kind()) {
                case ACK -> acked.incrementAndGet();
                case NAK -> naked.incrementAndGet();
                case TERM -> termed.incrementAndGet();
                default -> {
                }
            }
        }
    }

    /** The stream this runner consumes. */
    public String stream() {
        return stream;
    }

    /** The durable consumer it pulls from. */
    public String consumer() {
        return consumer;
    }

    /** Counts so far. */
    public RunnerStats stats() {
        return new RunnerStats(acked.get(), naked.get(), termed.get(), skipped.get(), failures.get(),
                heartbeatsSent.get(), handledCount.get(), redelivered.get(), handlerNanos.get(), handling.get());
    }

    /**
     * Stops fetching, lets every fetched message finish and settle (up to the drain timeout), then stops.
     * Messages still unsettled at the timeout are left to the server, which redelivers them after ack_wait.
     */
    @Override
    public void close() {
        closingDeadline = System.nanoTime() + drainTimeout.toNanos();
        running = false;
        synchronized (capacity) {
            capacity.notifyAll();
        }
        try {
            fetcher.join(drainTimeout.toMillis());
            workers.shutdown();
            if (!workers.awaitTermination(drainTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Consumer {} > {}: handlers still running after {}; the server will redeliver their"
                        + " messages", stream, consumer, drainTimeout);
                workers.shutdownNow();
            }
            // In-progress deliveries keep their heartbeats until settled or the drain ends.
            synchronized (capacity) {
                while (!inHandling.isEmpty() && System.nanoTime() < closingDeadline) {
                    capacity.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(closingDeadline - System.nanoTime())));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            heartbeats.shutdownNow();
        }
    }

    /** Configures a {@link ConsumerRunner}. Defaults: concurrency 1, batches of 100, heartbeat at half ack_wait. */
    public static final class Builder {
        private final Connection nc;
        private final String stream;
        private final ConsumerConfiguration config;
        private MessageHandler handler;
        private int concurrency = 1;
        private int batchSize = 100;
        private double heartbeatFraction = 0.5;
        private IdempotencyStore idempotency;
        private Duration drainTimeout = Duration.ofSeconds(30);

        private Builder(Connection nc, String stream, ConsumerConfiguration config) {
            this.nc = Objects.requireNonNull(nc, "connection");
            this.stream = Objects.requireNonNull(stream, "stream");
            this.config = Objects.requireNonNull(config, "config");
        }

        public Builder handler(MessageHandler handler) {
            this.handler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /** Messages handled at once (>= 1). */
        public Builder concurrency(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("concurrency must be at least 1, was " + n);
            }
            this.concurrency = n;
            return this;
        }

        /** Most messages per fetch (>= 1). */
        public Builder batchSize(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("batchSize must be at least 1, was " + n);
            }
            this.batchSize = n;
            return this;
        }

        /** In-progress heartbeat period as a fraction of ack_wait ({@code 0 < f < 1}, default 0.5). */
        public Builder heartbeatFraction(double f) {
            if (!(f > 0 && f < 1)) {
                throw new IllegalArgumentException("heartbeatFraction must be between 0 and 1, was " + f);
            }
            this.heartbeatFraction = f;
            return this;
        }

        /** Skip messages whose Msg-Id the store has seen processed. */
        public Builder idempotency(IdempotencyStore store) {
            this.idempotency = Objects.requireNonNull(store, "store");
            return this;
        }

        /** How long close() waits for fetched messages to finish. */
        public Builder drainTimeout(Duration timeout) {
            this.drainTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Creates or updates the consumer and starts fetching.
         *
         * @throws ConsumerPatternsException when the stream does not exist, the consumer has no durable name or
         *                                   does not use explicit acks, or no handler was given
         */
        public ConsumerRunner build() {
            if (handler == null) {
                throw new ConsumerPatternsException("No handler: call handler(delivery -> Outcome.ack())");
            }
            if (config.getDurable() == null) {
                throw new ConsumerPatternsException("The consumer has no durable name; a runner needs a durable"
                        + " consumer (ConsumerConfiguration.builder().durable(\"name\"))");
            }
            if (config.getAckPolicy() != AckPolicy.Explicit) {
                throw new ConsumerPatternsException("Consumer " + config.getDurable() + " uses ack policy "
                        + config.getAckPolicy() + "; a runner settles every message, so it needs AckPolicy.Explicit");
            }
            Duration ackWait;
            PermissionViolations.Mark mark = PermissionViolations.mark(nc);
            try {
                var jsm = nc.jetStreamManagement();
                try {
                    jsm.getStreamInfo(stream);
                } catch (JetStreamApiException e) {
                    if (e.getApiErrorCode() == JetStreamErrorCodes.STREAM_NOT_FOUND) {
                        throw new ConsumerPatternsException("Stream " + stream + " does not exist; create it before"
                                + " running consumer " + config.getDurable());
                    }
                    throw e;
                }
                Provisioning.ensureConsumer(nc, stream, config);
                ackWait = jsm.getConsumerInfo(stream, config.getDurable()).getConsumerConfiguration().getAckWait();
            } catch (ConsumerPatternsException e) {
                throw e;
            } catch (Exception e) {
                // A request the server denied is never answered: say which permission, not just "timeout".
                Exception cause = PermissionViolations.since(nc, mark)
                        .<Exception>map(v -> new PermissionDeniedException(v, e)).orElse(e);
                throw new ConsumerPatternsException("Could not create consumer " + config.getDurable() + " on "
                        + stream + ": " + cause.getMessage(), cause);
            }
            ConsumerRunner r = new ConsumerRunner(this, ackWait);
            r.fetcher.start();
            return r;
        }
    }
}
