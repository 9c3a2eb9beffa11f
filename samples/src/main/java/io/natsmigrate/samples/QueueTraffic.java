package io.natsmigrate.samples;

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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The walkthrough's demo services on stream {@code QUEUE}: a publisher of orders, an orders service that
 * processes each order and publishes its shipment, and a shipments service. Each message carries its id as
 * Msg-Id and payload; a ledger counts publishes and processing per id and per side. Services move to another
 * system with {@link #moveServicesTo}, publishers with {@link #movePublishersTo}, as restarting them with a new
 * URL would.
 */
final class QueueTraffic implements AutoCloseable {

    final Map<String, Integer> processed = new ConcurrentHashMap<>();
    final Map<String, Connection> published = new ConcurrentHashMap<>();
    final AtomicLong processedOld = new AtomicLong();
    final AtomicLong processedNew = new AtomicLong();
    private final Connection original;
    private final AtomicReference<Connection> publishTo;
    private final AtomicReference<Connection> consumeFrom;
    private final AtomicBoolean publishing = new AtomicBoolean(true);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();

    QueueTraffic(Connection oldSystem) {
        this.original = oldSystem;
        this.publishTo = new AtomicReference<>(oldSystem);
        this.consumeFrom = new AtomicReference<>(oldSystem);
        start("publisher", () -> {
            for (int n = 1; publishing.get(); n++) {
                publish("QUEUE.orders", "order-" + n);
                pause(2);
            }
        });
        start("orders", () -> serve("ORDERS", true));
        start("shipments", () -> serve("SHIPMENTS", false));
    }

    void moveServicesTo(Connection nc) {
        consumeFrom.set(nc);
    }

    void movePublishersTo(Connection nc) {
        publishTo.set(nc);
    }

    void stopPublishing() throws InterruptedException {
        publishing.set(false);
        threads.get(0).join();
    }

    long publishedOn(Connection nc) {
        return published.values().stream().filter(c -> c == nc).count();
    }

    long unprocessed() {
        return published.keySet().stream().filter(id -> !processed.containsKey(id)).count();
    }

    long duplicates() {
        return processed.values().stream().mapToLong(n -> n - 1).sum();
    }

    String progress() {
        List<Connection> snapshot = List.copyOf(published.values());
        long onNew = snapshot.stream().filter(c -> c != original).count();
        return "published " + snapshot.size() + " (" + onNew + " on the new system), processed " + processedOld.get() + " on the old side and " + processedNew.get()
                + " on the new, waiting " + unprocessed();
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
                pause(20); // retried with the same Msg-Id: the stream's duplicate window absorbs a repeat
            }
        }
    }

    private void serve(String consumer, boolean shipsOrders) {
        Connection bound = null;
        JetStreamSubscription sub = null;
        while (running.get()) {
            try {
                Connection want = consumeFrom.get();
                if (want != bound) {
                    if (sub != null) {
                        sub.unsubscribe();
                    }
                    sub = want.jetStream().subscribe(null, PullSubscribeOptions.bind("QUEUE", consumer));
                    bound = want;
                }
                for (Message m : sub.fetch(20, Duration.ofMillis(100))) {
                    String id = new String(m.getData(), StandardCharsets.UTF_8);
                    if (shipsOrders) {
                        publish("QUEUE.shipments", id.replace("order", "shipment"));
                    }
                    processed.merge(id, 1, Integer::sum);
                    (bound == original ? processedOld : processedNew).incrementAndGet();
                    m.ackSync(Duration.ofSeconds(5));
                }
            } catch (Exception e) {
                pause(20);
            }
        }
    }

    private void start(String name, Runnable r) {
        Thread t = new Thread(r, name);
        threads.add(t);
        t.start();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        publishing.set(false);
        running.set(false);
        for (Thread t : threads) {
            t.join();
        }
    }
}
