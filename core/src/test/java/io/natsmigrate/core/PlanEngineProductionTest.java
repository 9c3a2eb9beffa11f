package io.natsmigrate.core;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.testkit.NatsTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The plan engine as services embed it in production: failed and lost calls recorded so rollback removes what they
 * made, many runners at startup, the lock for operators, limits that drop what consumers never received, gates that
 * bind late, state written by 0.1, readable reports.
 */
@NatsTest
class PlanEngineProductionTest {

    private static StreamConfiguration stream(String name) {
        return StreamConfiguration.builder().name(name).subjects(name.toLowerCase() + ".>").build();
    }

    /** In 0.1 a failure threw the in-progress marker away, so the next apply adopted what the failed call made. */
    @Test
    void aCreateThatFailedAfterItsSideEffectIsRecordedAsCreatedAndRolledBack(Connection nc, JetStreamManagement jsm)
            throws Exception {
        MigrationPlan plan = MigrationPlan.named("failed-create").phase("p1", p -> p.step(new CrashingStep(
                Steps.stream(stream("MADE")), new AtomicBoolean(true),
                () -> new IllegalStateException("the call failed after the create"))))
                .build();
        try (MigrationRunner runner = plan.runner(nc).build()) {
            assertThatThrownBy(() -> runner.applyTo("p1")).isInstanceOf(StepFailedException.class)
                    .hasMessageContaining("Plan failed-create").hasMessageContaining("stream MADE");
            assertThat(runner.state().inProgress()).as("the failed step keeps its marker").isNotNull()
                    .satisfies(m -> assertThat(m.before()).isEqualTo(StepCheck.Status.MISSING));
            assertThat(runner.applyTo("p1").changed()).containsExactly("stream MADE: CREATED");
            runner.rollbackToStart();
            assertThat(jsm.getStreamNames()).doesNotContain("MADE");
        }
    }

    @Test
    void aLostReplyIsRetriedInsideApplyAndWhatItMadeIsOurs(Connection nc, JetStreamManagement jsm) throws Exception {
        MigrationPlan plan = MigrationPlan.named("lost-reply").phase("p1", p -> p.step(new CrashingStep(
                Steps.stream(stream("LOST")), new AtomicBoolean(true), () -> new IOException("Timeout or no response waiting for NATS"
                + " JetStream server")))).build();
        try (MigrationRunner runner = plan.runner(nc).build()) {
            ApplyResult r = runner.applyTo("p1"); // no exception: the transient failure is retried
            assertThat(r.changed()).containsExactly("stream LOST: CREATED");
            assertThat(runner.state().inProgress()).isNull();
            runner.rollbackToStart();
            assertThat(jsm.getStreamNames()).doesNotContain("LOST");
        }
    }

    /** Every replica of a service calls applyTo at startup; five of them even show the same instance id. */
    @Test
    void tenRunnersAtStartupApplyEachStepOnceAndNoneFails(Connection nc, JetStreamManagement jsm) throws Exception {
        AtomicInteger actionRuns = new AtomicInteger();
        MigrationPlan plan = MigrationPlan.named("startup")
                .phase("provision", p -> p.step(Steps.stream(stream("BOOT")))
                        .step(Steps.consumer("BOOT", ConsumerConfiguration.builder().durable("svc").build())))
                .phase("announce", p -> p.step(Steps.action("announce once", ctx -> actionRuns.incrementAndGet(),
                        ctx -> { })))
                .build();
        List<MigrationRunner> runners = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                runners.add(plan.runner(nc).instanceId(i < 5 ? "svc" : "svc-" + i).build());
            }
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<ApplyResult>> results = new ArrayList<>();
            for (MigrationRunner r : runners) {
                results.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return r.applyTo("announce");
                }));
            }
            go.countDown();
            for (CompletableFuture<ApplyResult> f : results) {
                assertThat(f.get(60, TimeUnit.SECONDS).toPhase()).isEqualTo("announce");
            }
            assertThat(actionRuns.get()).isEqualTo(1);
            assertThat(runners.get(0).history()).filteredOn(t -> t.kind() == TransitionKind.APPLY)
                    .extracting(Transition::subject).containsExactly("stream BOOT", "consumer BOOT > svc",
                            "announce once");
            // Asked again for an earlier phase, a runner just says where the plan is.
            assertThat(runners.get(3).applyTo("provision").toPhase()).isEqualTo("announce");
        } finally {
            runners.forEach(MigrationRunner::close);
        }
    }

    /** In 0.1 a runner treated a lease showing its own instance id as its own, so two such runners both entered. */
    @Test
    void runnersWithTheSameInstanceIdExcludeEachOtherAndAnOperatorCanForceTheLock(Connection nc) throws Exception {
        CountDownLatch inGate = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Gate held = Gate.of("held open by the test", Duration.ofSeconds(20), c -> {
            inGate.countDown();
            return release.await(10, TimeUnit.SECONDS) ? GateResult.pass("released") : GateResult.fail("held");
        });
        MigrationPlan plan = MigrationPlan.named("same-id").phase("p1", p -> p.gate(held).step(Steps.stream(
                stream("SAME")))).build();
        try (MigrationRunner a = plan.runner(nc).instanceId("pod").build();
             MigrationRunner b = plan.runner(nc).instanceId("pod").lockWait(Duration.ZERO).build()) {
            CompletableFuture<ApplyResult> first = CompletableFuture.supplyAsync(() -> a.applyTo("p1"));
            assertThat(inGate.await(10, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> b.applyTo("p1")).isInstanceOf(PlanLockedException.class)
                    .hasMessageContaining("pod");
            LockHolder holder = b.lockHolder().orElseThrow();
            assertThat(holder.instance()).isEqualTo("pod");
            assertThat(holder.expired()).isFalse();
            assertThat(holder.age()).isGreaterThanOrEqualTo(Duration.ZERO);
            release.countDown();
            assertThat(first.get(30, TimeUnit.SECONDS).changed()).containsExactly("stream SAME: CREATED");
            assertThat(b.lockHolder()).isEmpty();

            // A lease left by a dead pod: an operator releases it instead of waiting for it to expire.
            nc.keyValue("natsmigrate_plans").put("lock.same-id", ("{\"instance\":\"dead-pod\",\"token\":\"t\","
                    + "\"acquiredAt\":" + (System.currentTimeMillis() - 5_000) + ",\"expiresAt\":"
                    + (System.currentTimeMillis() + 600_000) + "}").getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> b.applyTo("p1")).isInstanceOf(PlanLockedException.class)
                    .hasMessageContaining("dead-pod");
            assertThat(b.forceUnlock()).hasValueSatisfying(h -> {
                assertThat(h.instance()).isEqualTo("dead-pod");
                assertThat(h.age()).isGreaterThanOrEqualTo(Duration.ofSeconds(5));
            });
            assertThat(b.applyTo("p1").toPhase()).isEqualTo("p1");
        }
    }

    /** The seed-001 stream keeps 1,000 messages: while the durable consumer is not running, it loses the rest. */
    @Test
    void limitsThatDropWhatAConsumerNeverReceivedAreReportedWithFigures(Connection nc, JetStreamManagement jsm)
            throws Exception {
        MigrationPlan plan = MigrationPlan.named("seed-001").phase("provision", p -> p
                .step(Steps.stream(StreamConfiguration.builder().name("EVENTS").subjects("events.>").maxMessages(1000)
                        .build()))
                .step(Steps.consumer("EVENTS", ConsumerConfiguration.builder().durable("my-app-consumer-v1").build())))
                .build();
        try (MigrationRunner runner = plan.runner(nc).build()) {
            assertThat(runner.preflight().warnings()).singleElement().asString()
                    .contains("Stream EVENTS drops its oldest messages at max_msgs 1000")
                    .contains("not running yet");
            assertThat(runner.dryRun("provision").toText()).contains("WARNING: Stream EVENTS");
            runner.applyTo("provision");
            for (int i = 0; i < 1_500; i++) {
                nc.jetStream().publish("events.e", ("e" + i).getBytes());
            }
            assertThat(runner.status().warnings()).singleElement().asString()
                    .contains("consumer my-app-consumer-v1 has 1000 pending")
                    .contains("already missed 500 dropped before delivery");
            assertThat(Gates.consumersKeepUp("EVENTS", 0.8, Duration.ofSeconds(1)).evaluate(nc).passed()).isFalse();
        }
    }

    @Test
    void aGateCanBeDeclaredBeforeWhatItNeedsExists(Connection nc, JetStreamManagement jsm) throws Exception {
        AtomicInteger bound = new AtomicInteger();
        Gate needsTheStream = Gates.late("stream LATE holds a message", Duration.ofSeconds(10), () -> {
            bound.incrementAndGet();
            return Gate.of("bound", Duration.ofSeconds(10), c -> c.jetStreamManagement().getStreamInfo("LATE")
                    .getStreamState().getMsgCount() > 0 ? GateResult.pass("yes") : GateResult.fail("empty"));
        });
        MigrationPlan plan = MigrationPlan.named("late").phase("create", p -> p.step(Steps.stream(stream("LATE"))))
                .phase("use", p -> p.gate(needsTheStream).step(Steps.marker("used"))).build();
        try (MigrationRunner runner = plan.runner(nc).build()) {
            runner.applyTo("create");
            assertThat(bound.get()).as("not bound while building the plan or applying earlier phases").isZero();
            nc.jetStream().publish("late.x", "1".getBytes());
            runner.applyTo("use");
            assertThat(bound.get()).isEqualTo(1);
        }
    }

    @Test
    void rollbackLeavesAdoptedResourcesAndSaysSoAndTheDryRunReadsLikeAPerson(Connection nc, JetStreamManagement jsm)
            throws Exception {
        jsm.addStream(StreamConfiguration.builder().name("KEPT").subjects("kept.>").build());
        MigrationPlan plan = MigrationPlan.named("adopt").phase("p1", p -> p.step(Steps.stream(stream("KEPT"))))
                .build();
        try (MigrationRunner runner = plan.runner(nc).build()) {
            runner.applyTo("p1");
            assertThat(runner.rollbackToStart().changed()).containsExactly(
                    "stream KEPT: UNTOUCHED (adopted, not the plan's to remove)");
            assertThat(jsm.getStreamNames()).contains("KEPT");
        }
        MigrationPlan older = MigrationPlan.named("ages").phase("p1", p -> p.step(Steps.stream(StreamConfiguration
                .builder().name("AGES").subjects("ages.>").maxAge(Duration.ofHours(2)).maxBytes(1L << 30).build())))
                .build();
        jsm.addStream(StreamConfiguration.builder().name("AGES").subjects("ages.>").maxAge(Duration.ofHours(1))
                .maxBytes(1L << 20).build());
        try (MigrationRunner runner = older.runner(nc).build()) {
            assertThat(runner.dryRun("p1").toText()).contains("max_age: 1h -> 2h")
                    .contains("max_bytes: 1.0 MiB -> 1.0 GiB");
        }
    }

    @Test
    void stateWrittenBy01IsReadAndConvertedOnTheNextApply(Connection nc, JetStreamManagement jsm) throws Exception {
        jsm.addStream(stream("OLD"));
        MigrationPlan plan = MigrationPlan.named("legacy").phase("p1", p -> p.step(Steps.stream(stream("OLD"))))
                .phase("p2", p -> p.step(Steps.marker("moved on"))).build();
        try (MigrationRunner runner = plan.runner(nc).build()) { // creates the bucket
            String v01 = "{\"plan\":\"legacy\",\"phase\":\"p1\",\"steps\":{\"stream OLD\":{\"action\":\"CREATED\","
                    + "\"at\":\"2026-01-01T00:00:00Z\",\"instance\":\"old\"}},\"history\":[{\"seq\":1,\"kind\":"
                    + "\"APPLY\",\"subject\":\"stream OLD\",\"phase\":\"p1\",\"outcome\":\"SUCCEEDED\",\"action\":"
                    + "\"CREATED\",\"instance\":\"old\",\"at\":\"2026-01-01T00:00:00Z\",\"durationMillis\":3},"
                    + "{\"seq\":2,\"kind\":\"PHASE\",\"subject\":\"p1\",\"phase\":\"p1\",\"outcome\":\"SUCCEEDED\","
                    + "\"instance\":\"old\",\"at\":\"2026-01-01T00:00:01Z\",\"durationMillis\":0}]}";
            nc.keyValue("natsmigrate_plans").put("plan.legacy", v01.getBytes(StandardCharsets.UTF_8));
            PlanState read = runner.state();
            assertThat(read.phase()).isEqualTo("p1");
            assertThat(read.steps()).containsKey("stream OLD");
            assertThat(read.history()).hasSize(2);

            assertThat(runner.applyTo("p2").changed()).containsExactly("moved on: RAN");
            String head = new String(nc.keyValue("natsmigrate_plans").get("plan.legacy").getValue(),
                    StandardCharsets.UTF_8);
            assertThat(head).contains("\"format\":2").doesNotContain("history").doesNotContain("steps");
            PlanState converted = runner.state();
            assertThat(converted.steps()).containsKeys("stream OLD", "moved on");
            assertThat(converted.steps().get("stream OLD").action()).isEqualTo(StepResult.Action.CREATED);
            assertThat(converted.history()).extracting(Transition::seq).containsExactly(1L, 2L, 3L, 4L);
            runner.rollbackToStart();
            assertThat(jsm.getStreamNames()).doesNotContain("OLD"); // created by the plan in 0.1: removed
        }
    }

    @Test
    void badRunnerSettingsAreRefused(Connection nc) {
        MigrationPlan plan = MigrationPlan.named("bad").phase("p1", p -> p.step(Steps.marker("m"))).build();
        assertThatThrownBy(() -> plan.runner(nc).replicas(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("replicas");
        assertThatThrownBy(() -> plan.runner(nc).lockWait(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lockWait");
        assertThatThrownBy(() -> plan.runner(nc).transientRetry(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Gates.consumersKeepUp("S", 0, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxFill");
    }
}
