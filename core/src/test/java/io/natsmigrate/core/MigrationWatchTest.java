package io.natsmigrate.core;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.testkit.NatsTest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What an operator watching a migration sees: listener events, meters and the structured run log. */
class MigrationWatchTest {

    /** Passes once a message is on subject {@code ready}; says how many there are. */
    private static final Gate READY = Gate.of("a message on ready", Duration.ofSeconds(30), nc -> {
        long n = nc.jetStreamManagement().getStreamInfo("READY").getStreamState().getMsgCount();
        return n > 0 ? GateResult.pass(n + " on ready") : GateResult.fail(n + " messages on ready");
    });

    @NatsTest
    @Test
    void listenersMetersAndTheRunLogSeeEveryStepGateAndTheLock(Connection nc, JetStreamManagement jsm)
            throws Exception {
        jsm.addStream(StreamConfiguration.builder().name("READY").subjects("ready").build());
        MigrationPlan plan = MigrationPlan.named("watched")
                .phase("p1", p -> p.step(Steps.stream(StreamConfiguration.builder().name("A").subjects("a.>")
                        .build())))
                .phase("p2", p -> p.step(Steps.marker("ready to go", READY))).build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MigrationMetrics metrics = new MigrationMetrics("watched");
        metrics.bindTo(registry);
        List<String> events = new CopyOnWriteArrayList<>();
        AtomicInteger waits = new AtomicInteger();
        MigrationListener recorder = new MigrationListener() {
            @Override
            public void afterStep(String phase, Step step, StepResult result) {
                events.add("applied " + step.name() + " lock.held="
                        + registry.get("natsmigrate.plan.lock.held").gauge().value());
            }

            @Override
            public void phaseReached(String phase) {
                events.add("phase " + phase);
            }

            @Override
            public void gateWaiting(GateProgress p) {
                events.add("waiting " + p.gate() + " [" + p.step() + "] " + p.lastSeen() + " gates.waiting="
                        + registry.get("natsmigrate.plan.gates.waiting").gauge().value());
                if (waits.incrementAndGet() == 2) {
                    nc.publish("ready", new byte[0]); // the condition the gate waits for comes true
                }
            }

            @Override
            public void gatePassed(GateProgress p) {
                events.add("passed " + p.gate() + " " + p.lastSeen());
            }

            @Override
            public void lockAcquired(String plan, String instanceId) {
                events.add("lock acquired by " + instanceId);
            }

            @Override
            public void lockReleased(String plan, String instanceId) {
                events.add("lock released by " + instanceId);
            }
        };
        PrintStream err = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try (MigrationRunner runner = plan.runner(nc).instanceId("pod-1").listener(metrics).listener(recorder)
                .build()) {
            runner.applyTo("p2");
        } finally {
            System.setErr(err);
        }
        assertThat(events.get(0)).isEqualTo("lock acquired by pod-1");
        assertThat(events).contains("applied stream A lock.held=1.0", "phase p1",
                "waiting a message on ready [ready to go] 0 messages on ready gates.waiting=1.0",
                "passed a message on ready 1 on ready", "applied ready to go lock.held=1.0", "phase p2");
        assertThat(events.get(events.size() - 1)).isEqualTo("lock released by pod-1");
        assertThat(registry.get("natsmigrate.plan.steps").tag("outcome", "applied").counter().count()).isEqualTo(2);
        assertThat(registry.get("natsmigrate.plan.phases").counter().count()).isEqualTo(2);
        assertThat(registry.get("natsmigrate.plan.gate.wait").tag("gate", "a message on ready").timer().count())
                .isEqualTo(1);
        assertThat(registry.get("natsmigrate.plan.gate.wait").timer().totalTime(java.util.concurrent.TimeUnit
                .MILLISECONDS)).isGreaterThanOrEqualTo(1000); // two waiting events, a second apart
        assertThat(registry.get("natsmigrate.plan.lock.held").gauge().value()).isZero();
        assertThat(registry.get("natsmigrate.plan.gates.waiting").gauge().value()).isZero();
        // One structured event per step with the keys a log pipeline filters on.
        String text = log.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("plan=watched", "instance=pod-1", "phase=p1", "step=stream A",
                "action=CREATED");

        try (MigrationRunner runner = plan.runner(nc).listener(metrics).build()) {
            runner.rollbackToStart();
        }
        assertThat(registry.get("natsmigrate.plan.steps").tag("outcome", "rolled_back").counter().count())
                .isEqualTo(2);
    }

    @NatsTest
    @Test
    void aFailedStepIsCountedAndTheLockIsReleased(Connection nc) {
        MigrationPlan plan = MigrationPlan.named("failing").phase("p1", p -> p.step(Steps.action("boom",
                ctx -> {
                    throw new IllegalStateException("no");
                }, ctx -> { }))).build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MigrationMetrics metrics = new MigrationMetrics("failing");
        metrics.bindTo(registry);
        try (MigrationRunner runner = plan.runner(nc).transientRetry(Duration.ofMillis(1)).listener(metrics)
                .build()) {
            assertThatThrownBy(() -> runner.applyTo("p1")).isInstanceOf(StepFailedException.class);
        }
        assertThat(registry.get("natsmigrate.plan.steps").tag("outcome", "failed").counter().count()).isEqualTo(1);
        assertThat(registry.get("natsmigrate.plan.lock.held").gauge().value()).isZero();
    }
}
