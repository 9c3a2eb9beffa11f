package io.natsmigrate.core;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.natsmigrate.testkit.NatsServer;
import io.natsmigrate.testkit.NatsServerBinary;
import io.natsmigrate.testkit.NatsTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.natsmigrate.testkit.NatsAssertions.assertThatConsumer;
import static io.natsmigrate.testkit.NatsAssertions.assertThatStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@NatsTest
class MigrationRunnerTest {

    static StreamConfiguration orders() {
        return StreamConfiguration.builder().name("ORDERS").subjects("orders.>").maxMessages(1000)
                .maxAge(Duration.ofHours(1)).build();
    }

    static MigrationPlan plan() {
        return MigrationPlan.named("orders")
                .phase("provision", p -> p.step(Steps.stream(orders()))
                        .step(Steps.consumer("ORDERS", ConsumerConfiguration.builder().durable("billing").build())))
                .phase("dual", p -> p.step(Steps.marker("dual publishing on")))
                .phase("extra", p -> p.step(Steps.stream(StreamConfiguration.builder().name("AUDIT")
                        .subjects("audit.>").build())))
                .build();
    }

    @Test
    void appliesThenReappliesWithoutWrites(Connection nc, JetStreamManagement jsm) throws Exception {
        try (MigrationRunner runner = plan().runner(nc).instanceId("i1").build()) {
            ApplyResult first = runner.applyTo("extra");
            assertThat(first.toPhase()).isEqualTo("extra");
            assertThat(first.changed()).containsExactly("stream ORDERS: CREATED", "consumer ORDERS > billing: CREATED",
                    "dual publishing on: RAN", "stream AUDIT: CREATED");
            assertThatStream(jsm, "ORDERS").exists();
            assertThatConsumer(jsm, "ORDERS", "billing").exists();

            ApplyResult again = runner.applyTo("extra");
            assertThat(again.changed()).isEmpty();
            assertThat(again.resourceWrites()).isZero();
            assertThat(again.stateWrites()).isZero();
            assertThat(again.resourceReads()).isEqualTo(3); // one per resource-backed step; the marker has none
            assertThat(runner.dryRun("extra").isNoOp()).isTrue();

            List<Transition> h = runner.history();
            assertThat(h).extracting(Transition::seq).isSorted().doesNotHaveDuplicates();
            assertThat(h).filteredOn(t -> t.kind() == TransitionKind.PHASE).extracting(Transition::subject)
                    .containsExactly("provision", "dual", "extra");
            assertThat(h).allMatch(t -> t.instance().equals("i1") && t.outcome() == TransitionOutcome.SUCCEEDED);
        }
    }

    @Test
    void driftIsReportedAndRepairedButServerDefaultsAreNotDrift(Connection nc, JetStreamManagement jsm)
            throws Exception {
        try (MigrationRunner runner = plan().runner(nc).build()) {
            runner.applyTo("provision");
            // Server filled duplicate_window, replicas, storage, ack_wait, max_ack_pending...: still no drift.
            assertThat(runner.dryRun("provision").changes()).allMatch(c -> c.kind() == DryRun.Kind.NO_OP);

            jsm.updateStream(StreamConfiguration.builder(orders()).maxMessages(5).build()); // someone changed it
            DryRun dry = runner.dryRun("provision");
            assertThat(dry.changes().get(0).kind()).isEqualTo(DryRun.Kind.UPDATE);
            assertThat(dry.changes().get(0).diffs()).singleElement()
                    .satisfies(d -> {
                        assertThat(d.field()).isEqualTo("max_msgs");
                        assertThat(d.live()).isEqualTo(5);
                    });
            assertThat(dry.toText()).contains("UPDATE  stream ORDERS", "max_msgs: 5 -> 1000");
            assertThat(dry.toJson()).contains("\"kind\" : \"UPDATE\"");

            ApplyResult repair = runner.applyTo("provision");
            assertThat(repair.changed()).containsExactly("stream ORDERS: UPDATED");
            assertThat(jsm.getStreamInfo("ORDERS").getConfiguration().getMaxMsgs()).isEqualTo(1000);
            assertThat(runner.history()).anyMatch(t -> t.detail() != null && t.detail().contains("max_msgs"));
        }
    }

    @Test
    void adoptsAnExistingStreamWithoutRecreatingIt(Connection nc, JetStreamManagement jsm) throws Exception {
        StreamInfo made = jsm.addStream(orders()); // created by hand / terraform
        for (int i = 0; i < 7; i++) {
            nc.jetStream().publish("orders.x", new byte[0]);
        }
        try (MigrationRunner runner = plan().runner(nc).build()) {
            assertThat(runner.dryRun("provision").changes().get(0).kind()).isEqualTo(DryRun.Kind.ADOPT);
            assertThat(runner.applyTo("provision").changed()).contains("stream ORDERS: ADOPTED");
            assertThat(jsm.getStreamInfo("ORDERS").getCreateTime()).isEqualTo(made.getCreateTime());
            assertThatStream(jsm, "ORDERS").hasMessages(7);
            runner.rollbackToStart();
            assertThatStream(jsm, "ORDERS").hasMessages(7); // adopted: rollback leaves it alone
            assertThat(jsm.getStreamNames()).doesNotContain("AUDIT");
        }
    }

    @Test
    void rollsBackReversibleStepsAndRefusesIrreversibleOnes(Connection nc, JetStreamManagement jsm) throws Exception {
        jsm.addStream(StreamConfiguration.builder().name("LEGACY").subjects("legacy.>").build());
        MigrationPlan plan = MigrationPlan.named("rb")
                .phase("provision", p -> p.step(Steps.stream(orders())))
                .phase("extra", p -> p.step(Steps.stream(StreamConfiguration.builder().name("AUDIT")
                        .subjects("audit.>").build())))
                .phase("decommission", p -> p.step(Steps.deleteStream("LEGACY")))
                .build();
        try (MigrationRunner runner = plan.runner(nc).build()) {
            runner.applyTo("extra");
            assertThat(runner.rollbackTo("provision").changed()).containsExactly("stream AUDIT: ROLLED_BACK");
            assertThat(jsm.getStreamNames()).contains("ORDERS").doesNotContain("AUDIT");
            assertThat(runner.state().phase()).isEqualTo("provision");

            assertThatThrownBy(() -> runner.applyTo("decommission"))
                    .isInstanceOf(ConfirmationRequiredException.class).hasMessageContaining("delete stream LEGACY");
            assertThat(jsm.getStreamNames()).contains("LEGACY").doesNotContain("AUDIT"); // nothing changed
            runner.applyTo("decommission", ApplyOptions.builder().confirmIrreversible("delete stream LEGACY").build());
            assertThat(jsm.getStreamNames()).doesNotContain("LEGACY");
            assertThatThrownBy(() -> runner.rollbackTo("provision")).isInstanceOf(NotReversibleException.class)
                    .hasMessageContaining("delete stream LEGACY");
            assertThat(runner.state().phase()).isEqualTo("decommission");
            // Asking for a phase already passed is no error (every replica may ask at startup): nothing changes.
            ApplyResult ensured = runner.applyTo("provision");
            assertThat(ensured.toPhase()).isEqualTo("decommission");
            assertThat(ensured.changed()).isEmpty();
            assertThat(ensured.stateWrites()).isZero();
        }
    }

    @Test
    void resumesAfterACrashAtEveryStep(Connection nc, JetStreamManagement jsm) throws Exception {
        int steps = plan().steps().size();
        for (int crashAt = 0; crashAt < steps; crashAt++) {
            for (boolean afterSideEffect : new boolean[]{false, true}) {
                AtomicBoolean armed = new AtomicBoolean(true);
                int target = crashAt;
                List<Step> all = plan().steps();
                MigrationPlan.Builder b = MigrationPlan.named("orders");
                for (Phase phase : plan().phases()) {
                    b.phase(phase.name(), p -> phase.steps().forEach(s -> p.step(
                            afterSideEffect && s.name().equals(all.get(target).name()) ? new CrashingStep(s, armed) : s)));
                }
                MigrationListener crashBefore = new MigrationListener() {
                    @Override
                    public void beforeStep(String phase, Step step) {
                        if (!afterSideEffect && step.name().equals(all.get(target).name()) && armed.compareAndSet(true, false)) {
                            throw new CrashingStep.Crash("before applying " + step.name());
                        }
                    }
                };
                MigrationPlan crashing = b.build();
                try (MigrationRunner runner = crashing.runner(nc).listener(crashBefore).build()) {
                    assertThatThrownBy(() -> runner.applyTo("extra")).isInstanceOf(CrashingStep.Crash.class);
                    PlanState crashed = runner.state();
                    assertThat(crashed.inProgress()).as("crash %d/%s leaves its marker", target, afterSideEffect)
                            .isNotNull();
                    assertThat(crashed.inProgress().step()).isEqualTo(all.get(target).name());

                    runner.applyTo("extra"); // re-run converges
                    PlanState done = runner.state();
                    assertThat(done.phase()).isEqualTo("extra");
                    assertThat(done.inProgress()).isNull();
                    assertThat(done.steps().keySet()).containsExactlyInAnyOrderElementsOf(
                            all.stream().map(Step::name).toList());
                    assertThat(done.history()).extracting(Transition::seq).isSorted().doesNotHaveDuplicates();
                    assertThat(runner.dryRun("extra").isNoOp()).isTrue();

                    runner.rollbackToStart();
                    assertThat(jsm.getStreamNames()).doesNotContain("ORDERS", "AUDIT");
                    assertThat(runner.state().steps()).isEmpty();
                }
            }
        }
    }

    @Test
    void rollbackAfterACrashMidCreateRemovesWhatTheCrashedStepMade(Connection nc, JetStreamManagement jsm)
            throws Exception {
        AtomicBoolean armed = new AtomicBoolean(true);
        MigrationPlan plan = MigrationPlan.named("orders")
                .phase("provision", p -> p.step(new CrashingStep(Steps.stream(orders()), armed)))
                .build();
        try (MigrationRunner runner = plan.runner(nc).build()) {
            assertThatThrownBy(() -> runner.applyTo("provision")).isInstanceOf(CrashingStep.Crash.class);
            assertThat(jsm.getStreamNames()).contains("ORDERS"); // created, never recorded
            runner.rollbackToStart();
            assertThat(jsm.getStreamNames()).doesNotContain("ORDERS");
        }
    }

    @Test
    void twoAppliersRaceAndExactlyOneAdvances(NatsServer server, Connection nc) throws Exception {
        CountDownLatch inGate = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Gate slow = Gate.of("held open by the test", Duration.ofSeconds(10), c -> {
            inGate.countDown();
            return release.await(5, TimeUnit.SECONDS) ? GateResult.pass("released") : GateResult.fail("held");
        });
        MigrationPlan plan = MigrationPlan.named("race").phase("provision", p -> p.gate(slow)
                .step(Steps.stream(orders()))).build();
        try (Connection other = server.connect();
             MigrationRunner a = plan.runner(nc).instanceId("A").build();
             MigrationRunner b = plan.runner(other).instanceId("B").lockWait(Duration.ZERO).build()) {
            CompletableFuture<ApplyResult> first = CompletableFuture.supplyAsync(() -> a.applyTo("provision"));
            assertThat(inGate.await(10, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> b.applyTo("provision")).isInstanceOf(PlanLockedException.class)
                    .satisfies(e -> assertThat(((PlanLockedException) e).holder()).isEqualTo("A"));
            release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS).changed()).containsExactly("stream ORDERS: CREATED");
            assertThat(b.applyTo("provision").changed()).isEmpty(); // lock free again; nothing left to do
            assertThat(a.history()).filteredOn(t -> t.kind() == TransitionKind.APPLY).extracting(Transition::instance)
                    .containsExactly("A");
        }
    }

    @Test
    void aStaleLockIsRecoveredAfterItsLease(Connection nc) throws Exception {
        MigrationPlan plan = MigrationPlan.named("stale").phase("provision", p -> p.step(Steps.stream(orders())))
                .build();
        try (MigrationRunner runner = plan.runner(nc).instanceId("B").lockWait(Duration.ZERO).build()) {
            // A holder that crashed: its lease runs out in 400 ms and nobody renews it.
            nc.keyValue("natsmigrate_plans").put("lock.stale", ("{\"instance\":\"crashed-A\",\"expiresAt\":"
                    + Instant.now().plusMillis(400).toEpochMilli() + "}").getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> runner.applyTo("provision")).isInstanceOf(PlanLockedException.class)
                    .hasMessageContaining("crashed-A");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                    .ignoreException(PlanLockedException.class)
                    .until(() -> runner.applyTo("provision").toPhase().equals("provision"));
            assertThat(nc.keyValue("natsmigrate_plans").get("lock.stale")).satisfiesAnyOf(
                    e -> assertThat(e).isNull(),
                    e -> assertThat(e.getOperation()).isNotEqualTo(io.nats.client.api.KeyValueOperation.PUT));
        }
    }

    @Test
    void gateTimeoutStopsBeforeThePhase(Connection nc, JetStreamManagement jsm) throws Exception {
        jsm.addStream(StreamConfiguration.builder().name("LEGACY").subjects("legacy.>").build());
        jsm.addOrUpdateConsumer("LEGACY", ConsumerConfiguration.builder().durable("old").build());
        nc.jetStream().publish("legacy.x", new byte[0]); // one message the old consumer never took
        MigrationPlan plan = MigrationPlan.named("gated").existingStream("LEGACY")
                .phase("provision", p -> p.step(Steps.stream(orders())))
                .phase("cutover", p -> p.gate(Gates.consumerDrained("LEGACY", "old", Duration.ofMillis(600)))
                        .step(Steps.marker("switched")))
                .build();
        try (MigrationRunner runner = plan.runner(nc).build()) {
            assertThatThrownBy(() -> runner.applyTo("cutover")).isInstanceOf(GateTimeoutException.class)
                    .hasMessageContaining("num_pending=1");
            assertThat(runner.state().phase()).isEqualTo("provision");
            assertThat(runner.state().isApplied("switched")).isFalse();
        }
    }

    @Test
    void phaseWatchFollowsTheRecordedPhase(Connection nc) throws Exception {
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (MigrationRunner runner = plan().runner(nc).build();
             PlanPhaseWatch watch = PlanPhaseWatch.watch(nc, "orders", p -> seen.add(String.valueOf(p)))) {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains("null"));
            runner.applyTo("dual");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains("dual"));
            runner.rollbackTo("provision");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> seen.get(seen.size() - 1).equals("provision"));
            assertThat(seen).containsSubsequence("null", "provision", "dual", "provision");
            assertThat(PlanPhaseWatch.currentPhase(nc, "orders")).contains("provision");
        }
        assertThat(PlanPhaseWatch.currentPhase(nc, "never-applied")).isEmpty();
    }

    @Test
    void statusShowsPhasesStepsAndLiveFigures(Connection nc) throws Exception {
        try (MigrationRunner runner = plan().runner(nc).build()) {
            runner.applyTo("dual");
            nc.jetStream().publish("orders.a", new byte[10]);
            StatusReport status = runner.status();
            assertThat(status.phase()).isEqualTo("dual");
            assertThat(status.steps()).extracting(StatusReport.StepStatus::live)
                    .containsExactly("IN_SYNC", "IN_SYNC", "UNKNOWN", "MISSING");
            assertThat(status.streams()).filteredOn(s -> s.stream().equals("ORDERS")).singleElement()
                    .satisfies(s -> {
                        assertThat(s.messages()).isEqualTo(1);
                        assertThat(s.consumers()).singleElement().satisfies(c -> assertThat(c.numPending()).isEqualTo(1));
                    });
            assertThat(status.toText()).contains("Plan orders at phase dual", "ORDERS", "consumer billing");
            assertThat(status.toJson()).contains("\"phase\" : \"dual\"");
        }
    }

    @Test
    void preflightComparesStreamSizesWithAccountLimits() throws Exception {
        io.natsmigrate.testkit.Account small = io.natsmigrate.testkit.Account.builder("SMALL").user("u", "p")
                .jetStreamLimits(0, 1024 * 1024).build();
        MigrationPlan big = MigrationPlan.named("big").phase("provision", p -> p.step(Steps.stream(
                StreamConfiguration.builder().name("BIG").subjects("big.>").maxBytes(10L * 1024 * 1024).build())))
                .build();
        try (NatsServer server = NatsServer.builder().account(small).start();
             Connection nc = server.connect("u", "p");
             MigrationRunner runner = big.runner(nc).build()) {
            assertThatThrownBy(runner::preflight).isInstanceOf(PreflightException.class)
                    .hasMessageContaining("10485760 bytes").hasMessageContaining("1048576")
                    .hasMessageContaining("max_file");
        }
    }

    @Test
    void preflightExplainsAnOldServerAndMissingStreams() throws Exception {
        MigrationPlan atomic = MigrationPlan.named("atomic").existingStream("NOPE")
                .phase("provision", p -> p.step(Steps.stream(StreamConfiguration.builder().name("B")
                        .subjects("b.>").allowAtomicPublish(true).build())))
                .build();
        try (NatsServer old = NatsServer.builder().binary(NatsServerBinary.legacy()).start();
             Connection nc = old.connect();
             MigrationRunner runner = atomic.runner(nc).build()) {
            assertThatThrownBy(runner::preflight).isInstanceOf(PreflightException.class)
                    .hasMessageContaining("2.12.0").hasMessageContaining("2.9.10").hasMessageContaining("upgrade");
        }
        try (NatsServer current = NatsServer.start(); Connection nc = current.connect();
             MigrationRunner runner = atomic.runner(nc).build()) {
            assertThatThrownBy(runner::preflight).isInstanceOf(PreflightException.class)
                    .hasMessageContaining("stream NOPE, which does not exist");
        }
        try (NatsServer noJs = NatsServer.builder().jetStream(false).start(); Connection nc = noJs.connect()) {
            assertThatThrownBy(() -> atomic.runner(nc).build()).isInstanceOf(MigrationException.class)
                    .hasMessageContaining("JetStream");
        }
    }
}
