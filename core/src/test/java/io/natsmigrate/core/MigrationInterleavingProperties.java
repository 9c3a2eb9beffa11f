package io.natsmigrate.core;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.testkit.NatsServer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Any interleaving of apply, rollback and crash leaves a consistent recorded state, and converges. */
class MigrationInterleavingProperties {

    enum Kind { APPLY, ROLLBACK, CRASH_BEFORE, CRASH_AFTER }

    record Op(Kind kind, int phase, int step) {
    }

    private static final String[] PHASES = {"p0", "p1", "p2"};
    private static final AtomicInteger TRY = new AtomicInteger();
    private static NatsServer server;
    private static Connection nc;
    private static JetStreamManagement jsm;

    @BeforeContainer
    static void start() throws Exception {
        server = NatsServer.start();
        nc = server.connect();
        jsm = nc.jetStreamManagement();
    }

    @AfterContainer
    static void stop() throws Exception {
        nc.close();
        server.close();
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> op = Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.integers().between(-1, 2),
                Arbitraries.integers().between(0, 4)).as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(6);
    }

    /** Five steps over three phases; one may crash before or after its side effect. */
    private static MigrationPlan plan(String id, int crashStep, boolean after, AtomicBoolean armed) {
        Step[] steps = {
                Steps.stream(StreamConfiguration.builder().name(id + "_S1").subjects(id + ".s1.>").build()),
                Steps.stream(StreamConfiguration.builder().name(id + "_S2").subjects(id + ".s2.>").build()),
                Steps.consumer(id + "_S1", ConsumerConfiguration.builder().durable("c").build()),
                Steps.marker("marker"),
                Steps.stream(StreamConfiguration.builder().name(id + "_S3").subjects(id + ".s3.>").build())};
        if (after && crashStep >= 0) {
            steps[crashStep] = new CrashingStep(steps[crashStep], armed);
        }
        return MigrationPlan.named(id)
                .phase("p0", p -> p.step(steps[0]))
                .phase("p1", p -> p.step(steps[1]).step(steps[2]))
                .phase("p2", p -> p.step(steps[3]).step(steps[4]))
                .build();
    }

    @Property(tries = 25)
    void interleavingsStayConsistentAndConverge(@ForAll("ops") List<Op> ops) throws Exception {
        String id = "t" + TRY.incrementAndGet();
        MigrationPlan clean = plan(id, -1, false, new AtomicBoolean());
        for (Op op : ops) {
            AtomicBoolean armed = new AtomicBoolean(op.kind() == Kind.CRASH_BEFORE || op.kind() == Kind.CRASH_AFTER);
            MigrationPlan plan = plan(id, op.step(), op.kind() == Kind.CRASH_AFTER, armed);
            String crashName = plan.steps().get(op.step()).name();
            MigrationListener before = new MigrationListener() {
                @Override
                public void beforeStep(String phase, Step step) {
                    if (op.kind() == Kind.CRASH_BEFORE && step.name().equals(crashName) && armed.compareAndSet(true, false)) {
                        throw new CrashingStep.Crash("before " + crashName);
                    }
                }
            };
            try (MigrationRunner runner = plan.runner(nc).listener(before).build()) {
                int current = runner.state().currentPhase().map(plan::phaseIndex).orElse(-1);
                boolean crashed = false;
                try {
                    if (op.kind() == Kind.ROLLBACK) {
                        if (op.phase() < 0) {
                            runner.rollbackToStart();
                        } else {
                            runner.rollbackTo(PHASES[op.phase()]);
                        }
                    } else {
                        runner.applyTo(PHASES[Math.max(0, op.phase())]);
                    }
                } catch (IllegalStateException wrongDirection) {
                    assertThat(op.kind() == Kind.ROLLBACK ? op.phase() > current : Math.max(0, op.phase()) < current)
                            .as("only a move in the wrong direction is refused: %s at %d", op, current).isTrue();
                } catch (CrashingStep.Crash crash) {
                    crashed = true;
                }
                assertConsistent(runner.state(), clean, crashed);
            }
        }
        try (MigrationRunner runner = clean.runner(nc).build()) {
            runner.applyTo("p2");
            PlanState done = runner.state();
            assertThat(done.steps().keySet()).hasSize(5);
            assertThat(runner.dryRun("p2").isNoOp()).isTrue();
            runner.rollbackToStart();
            assertThat(runner.state().steps()).isEmpty();
            assertThat(jsm.getStreamNames()).noneMatch(s -> s.startsWith(id + "_"));
        }
    }

    private static void assertConsistent(PlanState s, MigrationPlan plan, boolean crashed) throws Exception {
        int current = s.currentPhase().map(plan::phaseIndex).orElse(-1);
        for (int i = 0; i <= current; i++) {
            for (Step step : plan.phases().get(i).steps()) {
                assertThat(s.isApplied(step.name())).as("%s of completed phase %d is recorded", step.name(), i).isTrue();
            }
        }
        StepContext ctx = new StepContext(nc, plan.name(), "check");
        for (Step step : plan.steps()) {
            if (s.isApplied(step.name())) {
                assertThat(step.check(ctx).status()).as("recorded %s exists as planned", step.name())
                        .isIn(StepCheck.Status.IN_SYNC, StepCheck.Status.UNKNOWN);
            }
        }
        assertThat(s.history()).extracting(Transition::seq).isSorted().doesNotHaveDuplicates();
        if (!crashed && s.inProgress() != null) {
            // an earlier crash's marker survives only while no run has reached its step yet
            int markerPhase = -1;
            for (int i = 0; i < plan.phases().size(); i++) {
                String name = s.inProgress().step();
                if (plan.phases().get(i).steps().stream().anyMatch(st -> st.name().equals(name))) {
                    markerPhase = i;
                }
            }
            assertThat(markerPhase).as("unresolved marker %s lies beyond the recorded phase", s.inProgress())
                    .isGreaterThan(current);
            assertThat(s.isApplied(s.inProgress().step())).isFalse();
        }
    }
}
