package io.natsmigrate.core;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.primitives.MessageIdentity;
import io.natsmigrate.testkit.CrossSystemTopology;
import io.natsmigrate.testkit.MigrationTraffic;
import io.natsmigrate.testkit.NatsServer;
import io.natsmigrate.testkit.NatsServerBinary;
import org.junit.jupiter.api.Test;

import java.time.Duration;

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

            try (MigrationTraffic traffic = MigrationTraffic.on(source)
                    .publisher("QUEUE.orders", "order")
                    .relay("QUEUE", "ORDERS", "QUEUE.shipments", id -> id.replace("order", "shipment"))
                    .service("QUEUE", "SHIPMENTS")
                    .start()) {
                await().atMost(Duration.ofSeconds(20)).until(() -> traffic.processed("SHIPMENTS") > 100);

                MigrationPlan plan = CrossSystemRecipe.named("queue-to-target")
                        .source(source).target(target).leafDomain(topo.leafDomain())
                        .stream("QUEUE", "ORDERS", "SHIPMENTS")
                        .build();
                try (MigrationRunner runner = plan.runner(target).build()) {
                    runner.applyTo(CrossSystemRecipe.TARGET);
                    assertThatStream(source.jetStreamManagement(JetStreamOptions.builder().domain("leaf").build()),
                            "QUEUE").exists();

                    runner.applyTo(CrossSystemRecipe.CONSUMERS);
                    traffic.moveServicesTo(target);
                    await().atMost(Duration.ofSeconds(20)).until(() -> traffic.processedAfterMove("ORDERS") > 50
                            && traffic.processedAfterMove("SHIPMENTS") > 50);

                    runner.applyTo(CrossSystemRecipe.PUBLISHERS);
                    traffic.movePublishersTo(target);
                    await().atMost(Duration.ofSeconds(20)).until(() -> traffic.publishedOn(target) > 100);

                    runner.applyTo(CrossSystemRecipe.BRIDGE_REMOVED,
                            ApplyOptions.builder().confirmAllIrreversible().build());
                    assertThat(runner.state().currentPhase()).contains(CrossSystemRecipe.BRIDGE_REMOVED);
                }
                traffic.stopPublishing();
                await().atMost(Duration.ofSeconds(30)).until(() -> traffic.unprocessed() == 0);

                System.out.printf("cross-system: published %d orders and %d shipments (%d on the new system), "
                                + "processed %d on the old side and %d on the new, lost %d, processed twice %d%n",
                        traffic.published("order"), traffic.published("shipment"), traffic.publishedOn(target),
                        traffic.processedBeforeMove(), traffic.processedAfterMove(), traffic.unprocessed(),
                        traffic.duplicates());
                assertThat(traffic.unprocessed()).isZero();
                assertThat(traffic.duplicates()).isZero();
                assertThat(traffic.processedBeforeMove()).isPositive();
                assertThat(traffic.processedAfterMove()).isPositive();
            }

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
            try (MigrationTraffic traffic = MigrationTraffic.on(source).publisher("QUEUE.orders", "order").start()) {
                CrossSystemRecipe recipe = CrossSystemRecipe.named("bad").source(source).target(target)
                        .leafDomain("leaf").stream("QUEUE", "GHOST").stream("MISSING");
                assertThatThrownBy(recipe::preflight).isInstanceOf(PreflightException.class)
                        .satisfies(e -> assertThat(((PreflightException) e).problems()).anySatisfy(p ->
                                assertThat(p).contains("Consumer GHOST does not exist"))
                                .anySatisfy(p -> assertThat(p).contains("Stream MISSING does not exist"))
                                .anySatisfy(p -> assertThat(p).contains("workqueue retention").contains("delete it"))
                                .anySatisfy(p -> assertThat(p).contains("Stream OTHER on the new system listens on"
                                        + " QUEUE.orders"))
                                .anySatisfy(p -> assertThat(p).contains("the new one through the leaf")
                                        .contains("deny_imports")));

                CrossSystemRecipe wrongDomain = CrossSystemRecipe.named("bad").source(source).target(target)
                        .leafDomain("nowhere").stream("QUEUE");
                assertThatThrownBy(wrongDomain::preflight).isInstanceOf(PreflightException.class)
                        .hasMessageContaining("No JetStream answers on $JS.nowhere.API from the old system")
                        .hasMessageContaining("No JetStream answers on $JS.nowhere.API from the new system");
            }
        }
    }

    /**
     * Without deny rules the leak only shows once the clone makes the leaf interested in the subjects: the bridge
     * phase passes, the target phase stops at its leak check before creating anything on the target.
     */
    @Test
    void aLeakThroughTheLeafStopsTheTargetPhaseBeforeAnythingIsCreated() throws Exception {
        try (CrossSystemTopology topo = CrossSystemTopology.builder().start();
             Connection source = topo.source().connect();
             Connection target = topo.target().connect()) {
            source.jetStreamManagement().addStream(StreamConfiguration.builder().name("QUEUE").subjects("QUEUE.>")
                    .build());
            try (MigrationTraffic traffic = MigrationTraffic.on(source).publisher("QUEUE.orders", "order").start();
                 MigrationRunner runner = CrossSystemRecipe.named("leaky").source(source).target(target)
                         .leafDomain(topo.leafDomain()).stream("QUEUE").build().runner(target).build()) {
                await().atMost(Duration.ofSeconds(10)).until(() -> traffic.published() > 10);
                runner.applyTo(CrossSystemRecipe.BRIDGE);
                assertThatThrownBy(() -> runner.applyTo(CrossSystemRecipe.TARGET))
                        .isInstanceOf(StepFailedException.class)
                        .hasMessageContaining(CrossSystemRecipe.NO_LEAK_STEP)
                        .hasMessageContaining("the new one through the leaf")
                        .hasMessageContaining("deny_imports and deny_exports for QUEUE.>");
                assertThat(target.jetStreamManagement().getStreamNames()).doesNotContain("QUEUE");
            }
        }
    }

    /**
     * The same leak found by message tracing before a single message flows (the passive probe is off): the trace
     * reaches the target through the leaf. Trace-only stores nothing on either side. With the deny rules in place
     * the same check passes and the target phase completes.
     */
    @Test
    void aTraceFindsTheLeakBeforeAnyMessageFlowsAndPassesOnceTheDenyRuleIsInPlace() throws Exception {
        try (CrossSystemTopology topo = CrossSystemTopology.builder().start();
             Connection source = topo.source().connect();
             Connection target = topo.target().connect()) {
            source.jetStreamManagement().addStream(StreamConfiguration.builder().name("QUEUE").subjects("QUEUE.>")
                    .build());
            try (MigrationRunner runner = CrossSystemRecipe.named("leaky").source(source).target(target)
                    .leafDomain(topo.leafDomain()).stream("QUEUE").forwardingProbe(Duration.ZERO).build()
                    .runner(target).build()) {
                runner.applyTo(CrossSystemRecipe.BRIDGE);
                assertThatThrownBy(() -> runner.applyTo(CrossSystemRecipe.TARGET))
                        .isInstanceOf(StepFailedException.class)
                        .hasMessageContaining(CrossSystemRecipe.NO_LEAK_STEP)
                        .hasMessageContaining("A trace-only message on QUEUE._probe published on the old system"
                                + " reaches the new one through the leaf")
                        .hasMessageContaining("deny_imports and deny_exports for QUEUE.>")
                        .hasMessageContaining("server target-");
                assertThat(target.jetStreamManagement().getStreamNames()).doesNotContain("QUEUE");
                assertThat(source.jetStreamManagement().getStreamInfo("QUEUE").getStreamState().getMsgCount())
                        .isZero();
            }
        }
        try (CrossSystemTopology topo = CrossSystemTopology.builder().isolate("QUEUE.>").start();
             Connection source = topo.source().connect();
             Connection target = topo.target().connect()) {
            source.jetStreamManagement().addStream(StreamConfiguration.builder().name("QUEUE").subjects("QUEUE.>")
                    .build());
            try (MigrationRunner runner = CrossSystemRecipe.named("tight").source(source).target(target)
                    .leafDomain(topo.leafDomain()).stream("QUEUE").forwardingProbe(Duration.ZERO).build()
                    .runner(target).build()) {
                runner.applyTo(CrossSystemRecipe.TARGET);
                assertThat(target.jetStreamManagement().getStreamInfo("QUEUE").getStreamState().getMsgCount())
                        .isZero();
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
    void preflightReportsAClosedConnectionAndAnOldSystemTooOldToPauseConsumers() throws Exception {
        try (NatsServer old = NatsServer.builder().binary(NatsServerBinary.legacy()).start();
             NatsServer newSystem = NatsServer.start();
             Connection source = old.connect();
             Connection target = newSystem.connect()) {
            source.jetStreamManagement().addStream(StreamConfiguration.builder().name("QUEUE").subjects("QUEUE.>")
                    .build());
            CrossSystemRecipe recipe = CrossSystemRecipe.named("old").source(source).target(target)
                    .leafDomain("leaf").stream("QUEUE");
            assertThatThrownBy(recipe::preflight).isInstanceOf(PreflightException.class)
                    .hasMessageContaining("The old system runs nats-server 2.9.10")
                    .hasMessageContaining("needs 2.11.0+: upgrade the old system's servers first");

            target.close();
            assertThatThrownBy(recipe::preflight).isInstanceOf(PreflightException.class)
                    .hasMessageContaining("The connection to the new system is closed: pass an open connection");
        }
    }

    @Test
    void incompleteRecipesAreRejectedWithTheFix() throws Exception {
        assertThatThrownBy(() -> CrossSystemRecipe.named("x").leafDomain("leaf").stream("Q").build())
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("source(Connection)");
        try (NatsServer server = NatsServer.start(); Connection nc = server.connect()) {
            assertThatThrownBy(() -> CrossSystemRecipe.named("x").source(nc).target(nc).stream("Q").build())
                    .isInstanceOf(InvalidPlanException.class).hasMessageContaining("no leaf domain: call leafDomain");
            assertThatThrownBy(() -> CrossSystemRecipe.named("x").source(nc).target(nc).leafDomain("leaf").build())
                    .isInstanceOf(InvalidPlanException.class).hasMessageContaining("no stream: call stream(");
        }
        assertThatThrownBy(() -> CrossSystemRecipe.named("has space")).isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("letters, digits");
        assertThatThrownBy(() -> CrossSystemRecipe.named("x").leafDomain("my.leaf"))
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("leaf domain \"my.leaf\"");
        assertThatThrownBy(() -> CrossSystemRecipe.named("x").leafDomain(""))
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("leaf domain");
        assertThatThrownBy(() -> CrossSystemRecipe.named("x").stream("QUEUE.orders"))
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("stream \"QUEUE.orders\"");
        assertThatThrownBy(() -> CrossSystemRecipe.named("x").stream("QUEUE", "ORDERS", null))
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("consumer \"null\"");
        assertThatThrownBy(() -> CrossSystemRecipe.named("x").stream("QUEUE", "a b"))
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("consumer \"a b\"");
        assertThatThrownBy(() -> CrossSystemRecipe.named("x").timeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout must be positive");
        assertThatThrownBy(() -> CrossSystemRecipe.named("x").quietPeriod(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("quietPeriod must be positive");
        assertThatThrownBy(() -> CrossSystemRecipe.named("x").forwardingProbe(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be negative");
        assertThatThrownBy(() -> CrossSystemRecipe.named("x").source(null))
                .isInstanceOf(NullPointerException.class).hasMessage("source");
    }

    @Test
    void stepsOnAnotherSystemRefuseMissingParts() throws Exception {
        try (NatsServer server = NatsServer.start(); Connection nc = server.connect()) {
            Step step = Steps.marker("m");
            assertThatThrownBy(() -> Steps.onSystem(null, nc, JetStreamOptions.DEFAULT_JS_OPTIONS, step))
                    .isInstanceOf(NullPointerException.class).hasMessage("system");
            assertThatThrownBy(() -> Steps.onSystem("leaf", nc, null, step))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("DEFAULT_JS_OPTIONS for none");
            assertThat(Steps.onSystem("leaf", nc, JetStreamOptions.DEFAULT_JS_OPTIONS, step).name())
                    .isEqualTo("m on leaf");
        }
    }

    @Test
    void messageIdentityPrefersTheMsgIdAndOtherwiseHashesSubjectAndPayload() {
        io.nats.client.impl.Headers withId = new io.nats.client.impl.Headers().add("Nats-Msg-Id", "order-1");
        assertThat(MessageIdentity.of("a", withId, new byte[]{1})).isEqualTo(MessageIdentity.of("b", withId, null))
                .hasToString("id:order-1");
        assertThat(MessageIdentity.of("a", null, new byte[]{1})).isEqualTo(MessageIdentity.of("a", null,
                new byte[]{1}));
        assertThat(MessageIdentity.of("a", null, new byte[]{1})).isNotEqualTo(MessageIdentity.of("a", null,
                new byte[]{2})).isNotEqualTo(MessageIdentity.of("b", null, new byte[]{1}));
        assertThatThrownBy(() -> MessageIdentity.of(null, null, null)).isInstanceOf(NullPointerException.class)
                .hasMessage("subject");
    }

    @Test
    void badConsumerMoveSettingsAreRefused() {
        CrossSystemRecipe recipe = CrossSystemRecipe.named("moves");
        assertThatThrownBy(() -> recipe.reorderHorizon(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reorderHorizon");
        assertThatThrownBy(() -> recipe.reorderWindow(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reorderWindow");
        assertThatThrownBy(() -> recipe.processedTtl(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> CrossSystemRecipe.processedBucket("BAD NAME", "C"))
                .isInstanceOf(InvalidPlanException.class);
        assertThat(CrossSystemRecipe.processedBucket("QUEUE", "ORDERS")).isEqualTo("moved_QUEUE_ORDERS");
        assertThat(ConsumerMove.recordedIn(PlanState.initial("moves"), "QUEUE", "ORDERS")).isEmpty();
    }
}
