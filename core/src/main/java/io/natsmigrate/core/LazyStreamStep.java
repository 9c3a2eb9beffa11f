package io.natsmigrate.core;

import io.nats.client.api.StreamConfiguration;

import java.util.concurrent.Callable;

/**
 * A stream step whose configuration is derived from live state when it runs (for example a clone of a stream
 * on another system), so that building a plan needs no server round trip.
 */
final class LazyStreamStep implements Step {

    private final String name;
    private final Callable<StreamConfiguration> config;

    LazyStreamStep(String name, Callable<StreamConfiguration> config) {
        this.name = name;
        this.config = config;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public StepCheck check(StepContext ctx) throws Exception {
        return new StreamStep(config.call()).check(ctx);
    }

    @Override
    public StepResult apply(StepContext ctx) throws Exception {
        return new StreamStep(config.call()).apply(ctx);
    }

    @Override
    public void rollback(StepContext ctx, StepResult applied) throws Exception {
        new StreamStep(config.call()).rollback(ctx, applied);
    }
}
