package io.natsmigrate.testkit;

import io.nats.client.Connection;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Live traffic that keeps running while a migration moves it from one system to another: publishers of
 * JetStream messages, services that pull from durable consumers, and a ledger of what was published and
 * processed, by message id and by side. It answers the question every migration test asks: was each published
 * message processed exactly once, on one side or the other?
 *
 * <pre>{@code
 * try (MigrationTraffic traffic = MigrationTraffic.on(oldSystem)
 *         .publisher("QUEUE.orders", "order")                                    // order-1, order-2, ...
 *         .relay("QUEUE", "ORDERS", "QUEUE.shipments", id -> id.replace("order", "shipment"))
 *         .service("QUEUE", "SHIPMENTS")
 *         .start()) {
 *     // ... migrate, then:
 *     traffic.moveServicesTo(newSystem);
 *     traffic.movePublishersTo(newSystem);
 *     traffic.stopPublishing();
 * }
 * }</pre>
 *
 * Every message carries its id as {@code Nats-Msg-Id} and as payload; a publish that fails is retried with the
 * same id until it is acknowledged, so the stream's duplicate window absorbs a repeat. A service acknowledges
 * after recording; a relay publishes its follow-up before acknowledging. Moving rebinds to the consumer of the same
 * name on the other system, as restarting the process with a new URL would.
 */
public final class MigrationTraffic implements AutoCloseable {

    private static final Duration RETRY_PAUSE = Duration.ofMillis(20);

    private final Connection original;
    private final AtomicReference<Connection> publishTo;
    private final AtomicReference<Connection> consumeFrom;
    private final Duration pace;
    private final Map<String, Integer> processed = new ConcurrentHashMap<>();
    private final Map<String, Connection> published = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> processedBy = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> processedAfterMoveBy = new ConcurrentHashMap<>();
    private final AtomicBoolean publishing = new AtomicBoolean(true);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> publishers = new ArrayList<>();
    private final List<Thread> services = new ArrayList<>();

    private MigrationTraffic(Builder b) {
        this.original = b.nc;
        this.publishTo = new AtomicReference<>(b.nc);
        this.consumeFrom = new AtomicReference<>(b.nc);
        this.pace = b.pace;
    }

    /** Starts describing traffic that begins on {@code oldSystem}. */
    public static Builder on(Connection oldSystem) {
        return new Builder(Objects.requireNonNull(oldSystem, "oldSystem"));
    }

    /** Services pull from the consumers of the same names on {@code nc} from now on. */
    public void moveServicesTo(Connection nc) {
        consumeFrom.set(Objects.requireNonNull(nc, "nc"));
    }

    /** Publishers (and relays' follow-ups) go to {@code nc} from now on. */
    public void movePublishersTo(Connection nc) {
        publishTo.set(Objects.requireNonNull(nc, "nc"));
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
        return published.size();
    }

    /** Messages published whose id starts with {@code idPrefix}. */
    public long published(String idPrefix) {
        return published.keySet().stream().filter(id -> id.startsWith(idPrefix)).count();
    }

    /** Messages acknowledged by {@code nc}'s system. */
    public long publishedOn(Connection nc) {
        return published.values().stream().filter(c -> c == nc).count();
    }

    /** Messages the service on {@code consumer} processed, on either side. */
    public long processed(String consumer) {
        return counter(processedBy, consumer).get();
    }

    /** Messages the service on {@code consumer} processed after it moved. */
    public long processedAfterMove(String consumer) {
        return counter(processedAfterMoveBy, consumer).get();
    }

    /** Messages processed on the original system, all services together. */
    public long processedBeforeMove() {
        return processedBy.values().stream().mapToLong(AtomicLong::get).sum() - processedAfterMove();
    }

    /** Messages processed after the services moved, all services together. */
    public long processedAfterMove() {
        return processedAfterMoveBy.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** Distinct messages processed at least once. */
    public long distinctProcessed() {
        return processed.size();
    }

    /** Published messages not processed (yet); once the traffic has drained, the lost ones. */
    public long unprocessed() {
        return published.keySet().stream().filter(id -> !processed.containsKey(id)).count();
    }

    /** Processings beyond the first of each message. */
    public long duplicates() {
        return processed.values().stream().mapToLong(n -> n - 1).sum();
    }

    /** One line for progress output. */
    public String progress() {
        List<Connection> snapshot = List.copyOf(published.values());
        long moved = snapshot.stream().filter(c -> c != original).count();
        return "published " + snapshot.size() + " (" + moved + " after the publishers moved), processed "
                + processedBeforeMove() + " before the services moved and " + processedAfterMove() + " after,"
                + " waiting " + unprocessed();
    }

    private void publishLoop(String subject, String idPrefix) {
        for (long n = 1; publishing.get(); n++) {
            publish(subject, idPrefix + "-" + n);
            pause(pace);
        }
    }

    private void publish(String subject, String id) {
        while (running.get()) {
            Connection nc = publishTo.get();
            try {
                nc.jetStream().publish(NatsMessage.builder().subject(subject)
                        .headers(new Headers().add("Nats-Msg-Id", id))
                        .data(id.getBytes(StandardCharsets.UTF_8)).build());
                published.put(id, nc);
                return;
            } catch (Exception e) {
                pause(RETRY_PAUSE); // the same Msg-Id again: the stream's duplicate window absorbs a repeat
            }
        }
    }

    private void serve(String stream, String consumer, String relaySubject, UnaryOperator<String> nextId) {
        Connection bound = null;
        JetStreamSubscription sub = null;
        while (running.get()) {
            try {
                Connection want = consumeFrom.get();
                if (want != bound) {
                    if (sub != null) {
                        sub.unsubscribe();
                    }
                    sub = want.jetStream().subscribe(null, PullSubscribeOptions.bind(stream, consumer));
                    bound = want;
                }
                for (Message m : sub.fetch(20, Duration.ofMillis(100))) {
                    String id = new String(m.getData(), StandardCharsets.UTF_8);
                    if (relaySubject != null) {
                        publish(relaySubject, nextId.apply(id));
                    }
                    processed.merge(id, 1, Integer::sum);
                    counter(processedBy, consumer).incrementAndGet();
                    if (bound != original) {
                        counter(processedAfterMoveBy, consumer).incrementAndGet();
                    }
                    m.ackSync(Duration.ofSeconds(5));
                }
            } catch (Exception e) {
                if (running.get()) {
                    pause(RETRY_PAUSE); // e.g. the consumer does not exist yet on the side it just moved to
                }
            }
        }
    }

    private static AtomicLong counter(Map<String, AtomicLong> map, String consumer) {
        return map.computeIfAbsent(consumer, c -> new AtomicLong());
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops publishers and services and waits for them. */
    @Override
    public void close() throws InterruptedException {
        publishing.set(false);
        running.set(false);
        for (Thread t : publishers) {
            t.join();
        }
        for (Thread t : services) {
            t.join();
        }
    }

    /** Describes the traffic; {@link #start()} starts one thread per publisher and per service. */
    public static final class Builder {
        private final Connection nc;
        private final List<Consumer<MigrationTraffic>> starters = new ArrayList<>();
        private Duration pace = Duration.ofMillis(2);

        private Builder(Connection nc) {
            this.nc = nc;
        }

        /** A publisher on {@code subject} with ids {@code <idPrefix>-1}, {@code <idPrefix>-2}, ... */
        public Builder publisher(String subject, String idPrefix) {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(idPrefix, "idPrefix");
            starters.add(t -> t.publishers.add(thread("publisher-" + subject, () -> t.publishLoop(subject, idPrefix))));
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
            starters.add(t -> t.services.add(thread("service-" + consumer,
                    () -> t.serve(stream, consumer, subject, nextId))));
            return this;
        }

        /** Pause between a publisher's messages (default 2 ms). */
        public Builder pace(Duration pace) {
            Objects.requireNonNull(pace, "pace");
            if (pace.isNegative()) {
                throw new IllegalArgumentException("pace must not be negative, was " + pace);
            }
            this.pace = pace;
            return this;
        }

        /** Starts every publisher and service. */
        public MigrationTraffic start() {
            MigrationTraffic t = new MigrationTraffic(this);
            starters.forEach(s -> s.accept(t));
            return t;
        }

        private static Thread thread(String name, Runnable r) {
            Thread th = new Thread(r, name);
            th.setDaemon(true);
            th.start();
            return th;
        }
    }
}
