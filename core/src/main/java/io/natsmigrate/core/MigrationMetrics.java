package io.natsmigrate.core;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Micrometer meters for a {@link MigrationRunner}, as a {@link MigrationListener} (Micrometer is an optional
 * dependency: add {@code io.micrometer:micrometer-core} to use this class).
 *
 * <pre>{@code
 * MigrationMetrics metrics = new MigrationMetrics("orders-migration");
 * metrics.bindTo(registry);
 * MigrationRunner runner = plan.runner(nc).listener(metrics).build();
 * }</pre>
 *
 * Meters, all tagged {@code plan=<name>}: {@code natsmigrate.plan.steps} (tag {@code outcome}: {@code applied},
 * {@code rolled_back}, {@code failed}), {@code natsmigrate.plan.phases} (phases reached),
 * {@code natsmigrate.plan.gate.wait} (a timer per gate, tag {@code gate}: how long each wait took until it passed),
 * and the gauges {@code natsmigrate.plan.lock.held} (1 while this runner holds the plan's lock) and
 * {@code natsmigrate.plan.gates.waiting} (gates being waited for now).
 */
public final class MigrationMetrics implements MigrationListener, MeterBinder {

    private final String plan;
    private final AtomicInteger lockHeld = new AtomicInteger();
    private final AtomicInteger gatesWaiting = new AtomicInteger();
    private final java.util.Set<String> waitingNow = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile MeterRegistry registry;
    private Counter applied;
    private Counter rolledBack;
    private Counter failed;
    private Counter phases;

    /** Meters tagged {@code plan=name} (the plan's name, so dashboards match the plan state bucket). */
    public MigrationMetrics(String plan) {
        this.plan = Objects.requireNonNull(plan, "plan");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        applied = steps(registry, "applied");
        rolledBack = steps(registry, "rolled_back");
        failed = steps(registry, "failed");
        phases = Counter.builder("natsmigrate.plan.phases").tag("plan", plan)
                .description("phases reached").register(registry);
        Gauge.builder("natsmigrate.plan.lock.held", lockHeld, AtomicInteger::get).tag("plan", plan)
                .description("1 while this runner holds the plan's lock").register(registry);
        Gauge.builder("natsmigrate.plan.gates.waiting", gatesWaiting, AtomicInteger::get).tag("plan", plan)
                .description("gates this runner is waiting for now").register(registry);
    }

    private Counter steps(MeterRegistry registry, String outcome) {
        return Counter.builder("natsmigrate.plan.steps").tag("plan", plan).tag("outcome", outcome)
                .description("steps applied, rolled back or failed").register(registry);
    }

    @Override
    public void afterStep(String phase, Step step, StepResult result) {
        increment(applied);
    }

    @Override
    public void afterRollback(String phase, Step step) {
        increment(rolledBack);
    }

    @Override
    public void onFailure(String phase, Step step, Exception failure) {
        increment(failed);
    }

    @Override
    public void phaseReached(String phase) {
        if (phase != null) {
            increment(phases);
        }
    }

    @Override
    public void gateWaiting(GateProgress progress) {
        if (waitingNow.add(key(progress))) {
            gatesWaiting.incrementAndGet();
        }
    }

    @Override
    public void gatePassed(GateProgress progress) {
        if (waitingNow.remove(key(progress))) {
            gatesWaiting.decrementAndGet();
        }
        MeterRegistry r = registry;
        if (r != null) {
            Timer.builder("natsmigrate.plan.gate.wait").tag("plan", plan).tag("gate", progress.gate())
                    .description("time waited for a gate until it passed").register(r).record(progress.waited());
        }
    }

    @Override
    public void lockAcquired(String plan, String instanceId) {
        lockHeld.set(1);
    }

    @Override
    public void lockReleased(String plan, String instanceId) {
        lockHeld.set(0);
        // A run that failed while a gate waited (a timeout) leaves no gate waiting.
        waitingNow.clear();
        gatesWaiting.set(0);
    }

    private static String key(GateProgress p) {
        return p.phase() + "/" + p.step() + "/" + p.gate();
    }

    private static void increment(Counter c) {
        if (c != null) {
            c.increment();
        }
    }
}
