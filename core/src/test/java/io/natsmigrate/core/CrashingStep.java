package io.natsmigrate.core;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/** A step that does its work and then "crashes" once, before the engine can record it. */
final class CrashingStep implements Step {

    /** An Error, so it passes the engine's failure handling like a process death would. */
    static final class Crash extends Error {
        Crash(String where) {
            super("simulated crash " + where);
        }
    }

    private final Step delegate;
    private final AtomicBoolean armed;

    CrashingStep(Step delegate, AtomicBoolean armed) {
        this.delegate = delegate;
        this.armed = armed;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public StepCheck check(StepContext ctx) throws Exception {
        return delegate.check(ctx);
    }

    @Override
    public StepResult apply(StepContext ctx) throws Exception {
        StepResult r = delegate.apply(ctx);
        if (armed.compareAndSet(true, false)) {
            throw new Crash("after applying " + name());
        }
        return r;
    }

    @Override
    public Reversibility reversibility() {
        return delegate.reversibility();
    }

    @Override
    public void rollback(StepContext ctx, StepResult applied) throws Exception {
        delegate.rollback(ctx, applied);
    }

    @Override
    public Optional<io.nats.client.api.StreamConfiguration> providesStream() {
        return delegate.providesStream();
    }

    @Override
    public Optional<String> needsStream() {
        return delegate.needsStream();
    }
}
