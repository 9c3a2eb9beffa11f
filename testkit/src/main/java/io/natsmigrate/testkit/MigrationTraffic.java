package io.natsmigrate.testkit;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.KeyValue;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.MessageInfo;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import static io.nats.client.support.NatsJetStreamConstants.MSG_ID_HDR;

/**
 * Live traffic that keeps running while a migration moves it from one system to another: publishers of
 * JetStream messages, services that pull from durable consumers, and a ledger of what was published and
 * processed, by message id, consumer and side. It answers the question every migration test asks: was each
 * published message processed exactly once, on one side or the other?
 *
 * <pre>{@code
 * try (MigrationTraffic traffic = MigrationTraffic.on(oldSystem)
 *         .publishers("QUEUE.orders", "order", 4)                     // four connections of their own
 *         .relay("QUEUE", "ORDERS", "QUEUE.shipments", id -> id.replace("order", "shipment"))
 *         .service("QUEUE", "SHIPMENTS")
 *         .start()) {
 *     // ... migrate the consumers, then:
 *     traffic.followConsumersTo(newSystem);   // each service moves once its consumer exists there
 *     traffic.movePublishersTo(newSystem);
 *     traffic.stopPublishing();
 * }
 * }</pre>
 *
 * <ul>
 *   <li>Every message carries its id as {@code Nats-Msg-Id} and as payload. A publish that fails is retried with
 *       the same id on the system it started on (a retry on the other system would be a second message) until it
 *       is acknowledged, so the stream's duplicate window absorbs a repeat.</li>
 *   <li>Publishers publish at a rate ({@link Builder#rate(double)}), not with a sleep after each message.</li>
 *   <li>A service acknowledges after recording; a relay publishes its follow-up before acknowledging. Moving
 *       rebinds to the consumer of the same name on the other system, as restarting the process with a new URL
 *       would.</li>
 *   <li>With {@link Builder#idempotency}, a service on the new system skips (and acknowledges) messages whose key
 *       its idempotency bucket holds, and records what it processes, like consumer-patterns'
 *       {@code IdempotencyStore}.</li>
 * </ul>
 */
public final class MigrationTraffic implements AutoCloseable {

    private static final Duration RETRY_PAUSE = Duration.ofMillis(20);
    private static final Duration FETCH_WAIT = Duration.ofMillis(100);

    private final Connection original;
    private final AtomicReference<Connection> publishTo;
    private final double rate;
    private final BiFunction<String, String, String> bucketFor;
    private final UnaryOperator<String> keyFor;
    private final TrafficLedger ledger;
    private final AtomicBoolean publishing = new AtomicBoolean(true);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> publishers = new ArrayList<>();
    private final Map<String, Service> services = new ConcurrentHashMap<>();
    private final List<Connection> ownConnections = new CopyOnWriteArrayList<>();
    private final AtomicReference<Connection> followTo = new AtomicReference<>();

    private MigrationTraffic(Builder b) {
        this.original = b.nc;
        this.publishTo = new AtomicReference<>(b.nc);
        this.rate = b.rate;
        this.bucketFor = b.bucketFor;
        this.keyFor = b.keyFor;
        this.ledger = new TrafficLedger(b.nc);
    }

    /** Starts describing traffic that begins on {@code oldSystem}. */
    public static Builder on(Connection oldSystem) {
        return new Builder(Objects.requireNonNull(oldSystem, "oldSystem"));
    }

    /** Every service pulls from the consumer of the same name on {@code nc} from now on. */
    public void moveServicesTo(Connection nc) {
        Objects.requireNonNull(nc, "nc");
        services.values().forEach(s -> s.bindTo.set(nc));
    }

    /** The service on {@code consumer} pulls from the consumer of that name on {@code nc} from now on. */
    public void moveServiceTo(String consumer, Connection nc) {
        Objects.requireNonNull(nc, "nc");
        service(consumer).bindTo.set(nc);
    }

    /**
     * Each service moves to {@code nc} by itself as soon as its consumer exists there (the guide's rule: move a
     * service when its consumer has moved), one by one as a consumers phase moves them.
     */
    public void followConsumersTo(Connection nc) {
        followTo.set(Objects.requireNonNull(nc, "nc"));
    }

    /** Publishers (and relays' follow-ups) go to {@code nc} from now on; messages being retried stay where they are. */
    public void movePublishersTo(Connection nc) {
        publishTo.set(Objects.requireNonNull(nc, "nc"));
    }

    /**
     * Stops the service on {@code consumer} from fetching and waits until it has acknowledged what it holds, so a
     * test can put its consumer at a chosen position with {@link #processBefore(String, long)}.
     *
     * @throws IllegalStateException when the service does not come to rest within 10 s
     */
    public void hold(String consumer) {
        Service s = service(consumer);
        s.held.set(true);
        Poll.until(Duration.ofSeconds(10), state -> s.resting.get(),
                last -> new IllegalStateException("Service " + consumer + " did not come to rest within 10 s"));
    }

    /** Lets a held service fetch again. */
    public void release(String consumer) {
        service(consumer).held.set(false);
    }

    /**
     * Has the held service on {@code consumer} process, one by one and in order, the messages it would receive
     * next whose stream sequence is below {@code streamSequence} on its current system; it stops at the first one
     * at or after it, which stays unprocessed and unacknowledged. Processing is recorded in the ledger as usual.
     *
     * @return how many messages were processed
     * @throws IllegalStateException when the service is not held
     */
    public long processBefore(String consumer, long streamSequence) throws Exception {
        Service s = service(consumer);
        if (!s.held.get() || !s.resting.get()) {
            throw new IllegalStateException("Service " + consumer + " is not held: call hold(\"" + consumer
                    + "\") first");
        }
        Connection nc = s.bindTo.get();
        JetStreamManagement jsm = nc.jetStreamManagement();
        JetStreamSubscription sub = nc.jetStream().subscribe(null, PullSubscribeOptions.bind(s.stream, consumer));
        long done = 0;
        try {
            while (true) {
                ConsumerInfo ci = jsm.getConsumerInfo(s.stream, consumer);
                MessageInfo next = nextOnFilter(jsm, s.stream, ci.getAckFloor().getStreamSequence() + 1,
                        ci.getConsumerConfiguration().getFilterSubjects());
                if (next == null || next.getSeq() >= streamSequence) {
                    return done;
                }
                List<Message> got = sub.fetch(1, Duration.ofSeconds(2));
                if (got.isEmpty()) {
                    throw new IllegalStateException("Consumer " + consumer + " delivered nothing although stream"
                            + " sequence " + next.getSeq() + " waits: is it paused?");
                }
                s.handle(got.get(0), nc, null);
                done++;
            }
        } finally {
            sub.unsubscribe();
        }
    }

    /** Stops the publishers and waits for them; services go on until {@link #close()}. */
    public void stopPublishing() throws InterruptedException {
        publishing.set(false);
        for (Thread t : publishers) {
            t.join();
        }
    }

    /** Messages published and acknowledged so far (relays' follow-ups included). */
    public long published() {
        return ledger.published();
    }

    /** Messages published whose id starts with {@code idPrefix}. */
    public long published(String idPrefix) {
        return ledger.published(idPrefix);
    }

    /** Messages acknowledged by {@code nc}'s system (publishers on their own connections count by system). */
    public long publishedOn(Connection nc) {
        return ledger.publishedOn(nc);
    }

    /** Messages acknowledged after the publishers moved. */
    public long publishedAfterMove() {
        return ledger.publishedAfterMove();
    }

    /** Messages the service on {@code consumer} processed, on either side. */
    public long processed(String consumer) {
        return ledger.processed(consumer);
    }

    /** Messages the service on {@code consumer} processed after it moved. */
    public long processedAfterMove(String consumer) {
        return ledger.processedAfterMove(consumer);
    }

    /** Messages the service on {@code consumer} skipped because its idempotency bucket held them. */
    public long skipped(String consumer) {
        return ledger.skipped(consumer);
    }

    /** Messages processed on the original system, all services together. */
    public long processedBeforeMove() {
        return ledger.processedTotal() - ledger.processedAfterMove();
    }

    /** Messages processed after the services moved, all services together. */
    public long processedAfterMove() {
        return ledger.processedAfterMove();
    }

    /** Distinct published messages processed at least once. */
    public long distinctProcessed() {
        return ledger.distinctProcessed();
    }

    /** Published messages not processed (yet); once the traffic has drained, the lost ones. */
    public long unprocessed() {
        return ledger.unprocessedIds().size();
    }

    /** The ids of published messages not processed (yet), sorted. */
    public List<String> unprocessedIds() {
        return ledger.unprocessedIds();
    }

    /** Processings beyond the first of each message, all services together. */
    public long duplicates() {
        return ledger.duplicates();
    }

    /** Processings beyond the first of each message by the service on {@code consumer}. */
    public long duplicates(String consumer) {
        return ledger.duplicates(consumer);
    }

    /** One line for progress output. */
    public String progress() {
        return "published " + ledger.published() + " (" + ledger.publishedAfterMove() + " after the publishers"
                + " moved), processed " + processedBeforeMove() + " before the services moved and "
                + processedAfterMove() + " after, waiting " + unprocessed();
    }

    private Service service(String consumer) {
        Service s = services.get(Objects.requireNonNull(consumer, "consumer"));
        if (s == null) {
            throw new IllegalArgumentException("No service on consumer " + consumer + ": the traffic has "
                    + services.keySet());
        }
        return s;
    }

    private void publishLoop(String subject, String idPrefix, boolean ownConnection) {
        long intervalNanos = (long) (TimeUnit.SECONDS.toNanos(1) / rate);
        long due = System.nanoTime();
        Connection system = null;
        Connection conn = null;
        try {
            for (long n = 1; publishing.get(); n++) {
                Connection want = publishTo.get();
                if (want != system) {
                    conn = ownConnection ? connectLike(want) : want;
                    system = want;
                }
                publish(conn, system, subject, idPrefix + "-" + n);
                due += intervalNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                } else {
                    due = System.nanoTime(); // behind schedule: do not burst to catch up
                }
            }
        } catch (Exception e) {
            if (running.get()) {
                throw new IllegalStateException("Publisher on " + subject + " failed", e);
            }
        }
    }

    /** A connection of its own to the system {@code like} is connected to. */
    private Connection connectLike(Connection like) throws Exception {
        Connection c = Nats.connect(new Options.Builder(like.getOptions()).connectionName("traffic-publisher")
                .build());
        ownConnections.add(c);
        return c;
    }

    /** Publishes until acknowledged, always on {@code conn}: the system this message started on. */
    private void publish(Connection conn, Connection system, String subject, String id) {
        while (running.get()) {
            try {
                conn.jetStream().publish(NatsMessage.builder().subject(subject)
                        .headers(new Headers().add(MSG_ID_HDR, id))
                        .data(id.getBytes(StandardCharsets.UTF_8)).build());
                ledger.published(id, system);
                return;
            } catch (Exception e) {
                pause(RETRY_PAUSE); // the same Msg-Id again: the stream's duplicate window absorbs a repeat
            }
        }
    }

    private static MessageInfo nextOnFilter(JetStreamManagement jsm, String stream, long from, List<String> filters)
            throws Exception {
        MessageInfo first = null;
        for (String filter : filters == null || filters.isEmpty() ? List.of(">") : filters) {
            try {
                MessageInfo mi = jsm.getNextMessage(stream, from, filter);
                if (first == null || mi.getSeq() < first.getSeq()) {
                    first = mi;
                }
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() != 10037) { // no message found
                    throw e;
                }
            }
        }
        return first;
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops publishers and services, waits for them and closes the publishers' own connections. */
    @Override
    public void close() throws InterruptedException {
        publishing.set(false);
        running.set(false);
        for (Thread t : publishers) {
            t.join();
        }
        for (Service s : services.values()) {
            s.thread.join();
        }
        for (Connection c : ownConnections) {
            c.close();
        }
    }

    /** One service: a thread pulling from a durable consumer on the system it is bound to. */
    private final class Service {
        final String stream;
        final String consumer;
        final String relaySubject;
        final UnaryOperator<String> nextId;
        final AtomicReference<Connection> bindTo = new AtomicReference<>(original);
        final AtomicBoolean held = new AtomicBoolean();
        final AtomicBoolean resting = new AtomicBoolean();
        Thread thread;

        Service(String stream, String consumer, String relaySubject, UnaryOperator<String> nextId) {
            this.stream = stream;
            this.consumer = consumer;
            this.relaySubject = relaySubject;
            this.nextId = nextId;
        }

        void run() {
            Connection bound = null;
            JetStreamSubscription sub = null;
            KeyValue seen = null;
            while (running.get()) {
                try {
                    followIfMoved();
                    if (held.get()) {
                        resting.set(true);
                        pause(RETRY_PAUSE);
                        continue;
                    }
                    resting.set(false);
                    Connection want = bindTo.get();
                    if (want != bound) {
                        if (sub != null) {
                            sub.unsubscribe();
                        }
                        sub = want.jetStream().subscribe(null, PullSubscribeOptions.bind(stream, consumer));
                        seen = want != original ? idempotencyBucket(want) : null;
                        bound = want;
                    }
                    for (Message m : sub.fetch(20, FETCH_WAIT)) {
                        handle(m, bound, seen);
                    }
                } catch (Exception e) {
                    if (running.get()) {
                        pause(RETRY_PAUSE); // e.g. the consumer does not exist yet on the side it just moved to
                    }
                }
            }
            resting.set(true);
        }

        /** Moves to the follow target once this service's consumer exists there. */
        private void followIfMoved() {
            Connection to = followTo.get();
            if (to == null || bindTo.get() == to) {
                return;
            }
            try {
                to.jetStreamManagement().getConsumerInfo(stream, consumer);
                bindTo.set(to);
            } catch (Exception notYet) {
                // not moved yet (or the new system is briefly unavailable): stay where we are
            }
        }

        private KeyValue idempotencyBucket(Connection nc) throws Exception {
            if (bucketFor == null) {
                return null;
            }
            String bucket = bucketFor.apply(stream, consumer);
            try {
                nc.keyValueManagement().getStatus(bucket);
            } catch (JetStreamApiException e) {
                return null; // no bucket: nothing was recorded for this service
            }
            return nc.keyValue(bucket);
        }

        void handle(Message m, Connection bound, KeyValue seen) throws Exception {
            String id = new String(m.getData(), StandardCharsets.UTF_8);
            String key = seen == null ? null : keyFor.apply(id);
            if (key != null) {
                KeyValueEntry e = seen.get(key);
                if (e != null && e.getOperation() == KeyValueOperation.PUT) {
                    ledger.recordSkip(consumer);
                    m.ackSync(Duration.ofSeconds(5));
                    return;
                }
            }
            if (relaySubject != null) {
                Connection system = publishTo.get();
                publish(system, system, relaySubject, nextId.apply(id));
            }
            ledger.processed(consumer, id, bound != original);
            if (key != null) {
                seen.put(key, new byte[0]);
            }
            m.ackSync(Duration.ofSeconds(5));
        }
    }

    /** Describes the traffic; {@link #start()} starts one thread per publisher and per service. */
    public static final class Builder {
        private final Connection nc;
        private final List<Consumer<MigrationTraffic>> starters = new ArrayList<>();
        private double rate = 250;
        private BiFunction<String, String, String> bucketFor;
        private UnaryOperator<String> keyFor;

        private Builder(Connection nc) {
            this.nc = nc;
        }

        /** A publisher on {@code subject}, on the shared connection, with ids {@code <idPrefix>-1}, ... */
        public Builder publisher(String subject, String idPrefix) {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(idPrefix, "idPrefix");
            starters.add(t -> t.publishers.add(thread("publisher-" + subject,
                    () -> t.publishLoop(subject, idPrefix, false))));
            return this;
        }

        /**
         * {@code count} publishers on {@code subject}, each on a connection of its own (as replicas of a service
         * would be), with ids {@code <idPrefix>-<p>-1}, ... for publisher {@code p} from 1.
         */
        public Builder publishers(String subject, String idPrefix, int count) {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(idPrefix, "idPrefix");
            if (count < 1) {
                throw new IllegalArgumentException("count must be at least 1, was " + count);
            }
            for (int p = 1; p <= count; p++) {
                String prefix = idPrefix + "-" + p;
                starters.add(t -> t.publishers.add(thread("publisher-" + prefix,
                        () -> t.publishLoop(subject, prefix, true))));
            }
            return this;
        }

        /** A service that processes every message of durable {@code consumer} on {@code stream}. */
        public Builder service(String stream, String consumer) {
            return serviceThread(stream, consumer, null, null);
        }

        /**
         * A service that, for every message it processes, publishes a follow-up on {@code subject} with id
         * {@code nextId.apply(id)} before acknowledging (like an orders service triggering shipments).
         */
        public Builder relay(String stream, String consumer, String subject, UnaryOperator<String> nextId) {
            return serviceThread(stream, consumer, Objects.requireNonNull(subject, "subject"),
                    Objects.requireNonNull(nextId, "nextId"));
        }

        private Builder serviceThread(String stream, String consumer, String subject, UnaryOperator<String> nextId) {
            Objects.requireNonNull(stream, "stream");
            Objects.requireNonNull(consumer, "consumer");
            starters.add(t -> {
                Service s = t.new Service(stream, consumer, subject, nextId);
                if (t.services.putIfAbsent(consumer, s) != null) {
                    throw new IllegalArgumentException("Two services on consumer " + consumer);
                }
                s.thread = thread("service-" + consumer, s::run);
            });
            return this;
        }

        /** Messages per second of each publisher (default 250). */
        public Builder rate(double perSecond) {
            if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
                throw new IllegalArgumentException("rate must be a positive number of messages per second, was "
                        + perSecond);
            }
            this.rate = perSecond;
            return this;
        }

        /**
         * Services on the new system are idempotent: before processing they look the message's key up in the KV
         * bucket {@code bucketFor.apply(stream, consumer)} and skip it when present; after processing they record
         * it. {@code keyFor} turns a Msg-Id into the key (natsmigrate's rule: {@code IdempotencyKeys::of}).
         */
        public Builder idempotency(BiFunction<String, String, String> bucketFor, UnaryOperator<String> keyFor) {
            this.bucketFor = Objects.requireNonNull(bucketFor, "bucketFor");
            this.keyFor = Objects.requireNonNull(keyFor, "keyFor");
            return this;
        }

        /** Starts every publisher and service. */
        public MigrationTraffic start() {
            MigrationTraffic t = new MigrationTraffic(this);
            starters.forEach(s -> s.accept(t));
            return t;
        }

        private static Thread thread(String name, Runnable r) {
            Thread th = io.natsmigrate.primitives.DaemonThreads.create(r, name);
            th.start();
            return th;
        }
    }
}
