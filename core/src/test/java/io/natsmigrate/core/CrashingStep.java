package io.natsmigrate.core;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A step that does its work and then fails once, before the engine can record it: by default with a {@link Crash}
 * (a process death), or with what a given supplier makes (a lost reply, a failed call).
 */
final class CrashingStep implements Step {

    /** An Error, so it passes the engine's failure handling like a process death would. */
    static final class Crash extends Error {
        Crash(String where) {
            super("simulated crash " + where);
        }
    }

    private final Step delegate;
    private final AtomicBoolean armed;
    private final java.util.function.Supplier<? extends Throwable> failure;

    CrashingStep(Step delegate, AtomicBoolean armed) {
        this(delegate, armed, () -> new Crash("after applying " + delegate.name()));
    }

    CrashingStep(Step delegate, AtomicBoolean armed, java.util.function.Supplier<? extends Throwable> failure) {
        this.delegate = delegate;
        this.armed = armed;
        this.failure = failure;
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
            Throwable t = failure.get();
            if (t instanceof Exception e) {
                throw e;
            }
            throw (Error) t;
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
