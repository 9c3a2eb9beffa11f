package io.natsmigrate.core;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.natsmigrate.testkit.CrossSystemTopology;
import io.natsmigrate.testkit.NatsServer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.natsmigrate.testkit.NatsAssertions.assertThatStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The cross-system walkthrough (seed 000) end to end on three real servers: an interest stream {@code QUEUE}
 * with pull consumers {@code ORDERS} and {@code SHIPMENTS} moves from the old system to the new one through a
 * leaf node in domain {@code leaf}, while a publisher and both services run throughout. The orders service
 * publishes a shipment for every order, so it is a publisher too.
 */
class CrossSystemRecipeTest {

    @Test
    void movesStreamAndConsumersWithNothingLostOrProcessedTwice() throws Exception {
        try (CrossSystemTopology topo = CrossSystemTopology.builder().isolate("QUEUE.>").start();
             Connection source = topo.source().connect();
             Connection target = topo.target().connect()) {
            JetStreamManagement sjsm = source.jetStreamManagement();
            sjsm.addStream(StreamConfiguration.builder().name("QUEUE").subjects("QUEUE.>")
                    .retentionPolicy(RetentionPolicy.Interest).maxAge(Duration.ofHours(1)).build());
            sjsm.addOrUpdateConsumer("QUEUE", ConsumerConfiguration.builder().durable("ORDERS")
                    .filterSubject("QUEUE.orders").ackPolicy(AckPolicy.Explicit).build());
            sjsm.addOrUpdateConsumer("QUEUE", ConsumerConfiguration.builder().durable("SHIPMENTS")
                    .filterSubject("QUEUE.shipments").ackPolicy(AckPolicy.Explicit).build());

            AtomicReference<Connection> publishTo = new AtomicReference<>(source);
            Ledger ledger = new Ledger();
            try (Publisher publisher = new Publisher(publishTo, ledger);
                 Service orders = new Service("ORDERS", source, ledger, publishTo);
                 Service shipments = new Service("SHIPMENTS", source, ledger, null)) {
                await().atMost(Duration.ofSeconds(20)).until(() -> shipments.processed.get() > 100);

                MigrationPlan plan = CrossSystemRecipe.named("queue-to-target")
                        .source(source).target(target).leafDomain(topo.leafDomain())
                        .stream("QUEUE", "ORDERS", "SHIPMENTS")
                        .build();
                try (MigrationRunner runner = plan.runner(target).build()) {
                    runner.applyTo(CrossSystemRecipe.TARGET);
                    assertThatStream(source.jetStreamManagement(JetStreamOptions.builder().domain("leaf").build()),
                            "QUEUE").exists();

                    runner.applyTo(CrossSystemRecipe.CONSUMERS);
                    orders.moveTo(target);
                    shipments.moveTo(target);
                    await().atMost(Duration.ofSeconds(20)).until(() -> orders.processedOnNewSide.get() > 50
                            && shipments.processedOnNewSide.get() > 50);

                    runner.applyTo(CrossSystemRecipe.PUBLISHERS);
                    publishTo.set(target);
                    await().atMost(Duration.ofSeconds(20)).until(() -> ledger.publishedOn(target) > 100);

                    runner.applyTo(CrossSystemRecipe.BRIDGE_REMOVED,
                            ApplyOptions.builder().confirmAllIrreversible().build());
                    assertThat(runner.state().currentPhase()).contains(CrossSystemRecipe.BRIDGE_REMOVED);
                }
                publisher.stop();
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    assertThat(ledger.unprocessed()).isZero();
                });
            }

            System.out.printf("cross-system: published %d orders and %d shipments (%d on the new system), "
                            + "processed %d on the old side and %d on the new, lost %d, processed twice %d%n",
                    ledger.published("order"), ledger.published("shipment"), ledger.publishedOn(target),
                    ledger.processedOld.get(), ledger.processedNew.get(), ledger.lost(), ledger.duplicates());
            assertThat(ledger.lost()).isZero();
            assertThat(ledger.duplicates()).isZero();
            assertThat(ledger.processedOld.get()).isPositive();
            assertThat(ledger.processedNew.get()).isPositive();

            // The bridge is gone: no clone on the leaf, no source on the target, no old consumers.
            assertThatThrownBy(() -> source.jetStreamManagement(JetStreamOptions.builder().domain("leaf").build())
                    .getStreamInfo("QUEUE")).isInstanceOf(JetStreamApiException.class);
            StreamConfiguration moved = target.jetStreamManagement().getStreamInfo("QUEUE").getConfiguration();
            assertThat(moved.getSources()).isEmpty();
            assertThat(moved.getSubjects()).containsExactly("QUEUE.>");
            assertThat(moved.getRetentionPolicy()).isEqualTo(RetentionPolicy.Interest);
            assertThat(sjsm.getConsumerNames("QUEUE")).isEmpty();
            // Interest retention on the target: everything processed is gone.
            assertThatStream(target.jetStreamManagement(), "QUEUE").within(Duration.ofSeconds(10)).hasMessages(0);
        }
    }

    @Test
    void preflightNamesEveryProblemAndItsFix() throws Exception {
        try (CrossSystemTopology topo = CrossSystemTopology.builder().start();
             Connection source = topo.source().connect();
             Connection target = topo.target().connect()) {
            source.jetStreamManagement().addStream(StreamConfiguration.builder().name("QUEUE").subjects("QUEUE.>")
                    .retentionPolicy(RetentionPolicy.Interest).build());
            target.jetStreamManagement().addStream(StreamConfiguration.builder().name("OTHER")
                    .subjects("QUEUE.orders").build());
            source.jetStreamManagement(JetStreamOptions.builder().domain("leaf").build()).addStream(
                    StreamConfiguration.builder().name("QUEUE").subjects("QUEUE.>")
                            .retentionPolicy(RetentionPolicy.WorkQueue).build());
            AtomicBoolean stop = new AtomicBoolean();
            Thread traffic = new Thread(() -> {
                while (!stop.get()) {
                    source.publish("QUEUE.orders", new byte[0]);
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            traffic.start();
            try {
                CrossSystemRecipe recipe = CrossSystemRecipe.named("bad").source(source).target(target)
                        .leafDomain("leaf").stream("QUEUE", "GHOST").stream("MISSING");
                assertThatThrownBy(recipe::preflight).isInstanceOf(PreflightException.class)
                        .satisfies(e -> assertThat(((PreflightException) e).problems()).anySatisfy(p ->
                                assertThat(p).contains("Consumer GHOST does not exist"))
                                .anySatisfy(p -> assertThat(p).contains("Stream MISSING does not exist"))
                                .anySatisfy(p -> assertThat(p).contains("workqueue retention").contains("delete it"))
                                .anySatisfy(p -> assertThat(p).contains("Stream OTHER on the new system listens on"
                                        + " QUEUE.orders"))
                                .anySatisfy(p -> assertThat(p).contains("reach the new one through the leaf")
                                        .contains("deny_imports")));

                CrossSystemRecipe wrongDomain = CrossSystemRecipe.named("bad").source(source).target(target)
                        .leafDomain("nowhere").stream("QUEUE");
                assertThatThrownBy(wrongDomain::preflight).isInstanceOf(PreflightException.class)
                        .hasMessageContaining("No JetStream answers on $JS.nowhere.API from the old system")
                        .hasMessageContaining("No JetStream answers on $JS.nowhere.API from the new system");
            } finally {
                stop.set(true);
                traffic.join();
            }
        }
    }

    @Test
    void preflightRefusesALeafDomainThatASystemAlreadyUses() throws Exception {
        try (NatsServer oldSystem = NatsServer.builder().domain("leaf").start();
             NatsServer newSystem = NatsServer.start();
             Connection source = oldSystem.connect();
             Connection target = newSystem.connect()) {
            source.jetStreamManagement().addStream(StreamConfiguration.builder().name("QUEUE").subjects("QUEUE.>")
                    .build());
            CrossSystemRecipe recipe = CrossSystemRecipe.named("clash").source(source).target(target)
                    .leafDomain("leaf").stream("QUEUE");
            assertThatThrownBy(recipe::preflight).isInstanceOf(PreflightException.class)
                    .hasMessageContaining("The old system's JetStream domain is also \"leaf\"")
                    .hasMessageContaining("do not change the old system's")
                    .hasMessageContaining("No JetStream answers on $JS.leaf.API from the new system");
        }
    }

    @Test
    void incompleteRecipesAreRejectedWithTheFix() {
        assertThatThrownBy(() -> CrossSystemRecipe.named("x").leafDomain("leaf").stream("Q").build())
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("source(Connection)");
    }

    /** Who published and who processed what, by message id, on which side. */
    static final class Ledger {
        final Map<String, Integer> processed = new ConcurrentHashMap<>();
        final Map<String, Connection> published = new ConcurrentHashMap<>();
        final AtomicInteger processedOld = new AtomicInteger();
        final AtomicInteger processedNew = new AtomicInteger();

        void published(String id, Connection on) {
            published.put(id, on);
        }

        void processed(String id, boolean newSide) {
            processed.merge(id, 1, Integer::sum);
            (newSide ? processedNew : processedOld).incrementAndGet();
        }

        long published(String kind) {
            return published.keySet().stream().filter(k -> k.startsWith(kind)).count();
        }

        long publishedOn(Connection nc) {
            return published.values().stream().filter(c -> c == nc).count();
        }

        long unprocessed() {
            return published.keySet().stream().filter(id -> !processed.containsKey(id)).count();
        }

        long lost() {
            return unprocessed();
        }

        long duplicates() {
            return processed.values().stream().filter(n -> n > 1).count();
        }
    }

    /** Publishes orders with message ids to whichever system {@code to} points at, retrying with the same id. */
    static final class Publisher implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Publisher(AtomicReference<Connection> to, Ledger ledger) {
            this(to, ledger, "QUEUE.orders");
        }

        Publisher(AtomicReference<Connection> to, Ledger ledger, String subject) {
            thread = new Thread(() -> {
                for (int n = 1; running.get(); n++) {
                    String id = "order-" + n;
                    publish(to, subject, id, ledger, running);
                    sleepQuietly(2);
                }
            }, "publisher");
            thread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join();
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }
    }

    static void publish(AtomicReference<Connection> to, String subject, String id, Ledger ledger,
                        AtomicBoolean running) {
        while (true) {
            Connection nc = to.get();
            try {
                nc.jetStream().publish(NatsMessage.builder().subject(subject)
                        .headers(new Headers().add("Nats-Msg-Id", id))
                        .data(id.getBytes(StandardCharsets.UTF_8)).build());
                ledger.published(id, nc);
                return;
            } catch (Exception e) {
                if (!running.get()) {
                    return;
                }
                sleepQuietly(20);
            }
        }
    }

    /**
     * A service: pulls from its durable consumer on one system, processes each message once (recorded in the
     * ledger), acks; the orders service also publishes a shipment per order. {@link #moveTo} rebinds it to the
     * consumer of the same name on another system, as restarting it with a new URL would.
     */
    static final class Service implements AutoCloseable {
        final AtomicInteger processed = new AtomicInteger();
        final AtomicInteger processedOnNewSide = new AtomicInteger();
        private final String stream;
        private final String consumer;
        private final AtomicReference<Connection> from;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;
        private volatile Connection original;

        Service(String consumer, Connection nc, Ledger ledger, AtomicReference<Connection> shipmentsTo) {
            this("QUEUE", consumer, nc, ledger, shipmentsTo);
        }

        Service(String stream, String consumer, Connection nc, Ledger ledger,
                AtomicReference<Connection> shipmentsTo) {
            this.stream = stream;
            this.consumer = consumer;
            this.from = new AtomicReference<>(nc);
            this.original = nc;
            thread = new Thread(() -> run(ledger, shipmentsTo), consumer.toLowerCase());
            thread.start();
        }

        void moveTo(Connection nc) {
            from.set(nc);
        }

        private void run(Ledger ledger, AtomicReference<Connection> shipmentsTo) {
            Connection bound = null;
            JetStreamSubscription sub = null;
            while (running.get()) {
                try {
                    Connection want = from.get();
                    if (want != bound) {
                        if (sub != null) {
                            sub.unsubscribe();
                        }
                        sub = want.jetStream().subscribe(null, PullSubscribeOptions.bind(stream, consumer));
                        bound = want;
                    }
                    List<Message> batch = sub.fetch(20, Duration.ofMillis(100));
                    for (Message m : batch) {
                        String id = new String(m.getData(), StandardCharsets.UTF_8);
                        if (shipmentsTo != null) {
                            publish(shipmentsTo, "QUEUE.shipments", id.replace("order", "shipment"), ledger,
                                    running);
                        }
                        ledger.processed(id, bound != original);
                        processed.incrementAndGet();
                        if (bound != original) {
                            processedOnNewSide.incrementAndGet();
                        }
                        m.ackSync(Duration.ofSeconds(5));
                    }
                } catch (Exception e) {
                    if (running.get()) {
                        sleepQuietly(20);
                    }
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join();
        }
    }

    static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
