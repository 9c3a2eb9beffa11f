package io.natsmigrate.core;

import io.nats.client.Connection;
import io.nats.client.JetStreamOptions;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.primitives.ServerFeature;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Runs another step against a different system than the runner's: another connection, or the same connection
 * with a JetStream domain or API prefix (a leaf node's streams through {@code $JS.<domain>.API}). The plan's
 * state stays where the runner keeps it.
 */
final class SystemStep implements Step {

    private final String system;
    private final Connection nc;
    private final JetStreamOptions options;
    private final Step step;

    SystemStep(String system, Connection nc, JetStreamOptions options, Step step) {
        this.system = system;
        this.nc = nc;
        this.options = options;
        this.step = step;
    }

    private StepContext on(StepContext ctx) throws Exception {
        return ctx.on(nc, nc.jetStreamManagement(options));
    }

    @Override
    public String name() {
        return step.name() + " on " + system;
    }

    @Override
    public StepCheck check(StepContext ctx) throws Exception {
        return step.check(on(ctx));
    }

    @Override
    public StepResult apply(StepContext ctx) throws Exception {
        return step.apply(on(ctx));
    }

    @Override
    public boolean removesResource() {
        return step.removesResource();
    }

    @Override
    public Reversibility reversibility() {
        return step.reversibility();
    }

    @Override
    public void rollback(StepContext ctx, StepResult applied) throws Exception {
        step.rollback(on(ctx), applied);
    }

    @Override
    public List<Gate> gates() {
        return step.gates();
    }

    @Override
    public List<Connection> connections() {
        List<Connection> all = new ArrayList<>(List.of(nc));
        all.addAll(step.connections());
        return List.copyOf(all);
    }

    @Override
    public Set<ServerFeature> requiredFeatures() {
        // Features are checked by the runner against its own server; this step's server is another one.
        return Set.of();
    }

    @Override
    public Optional<StreamConfiguration> providesStream() {
        // Plan validation looks at the runner's system; a stream on another system neither satisfies nor
        // clashes with the runner's streams.
        return Optional.empty();
    }

    @Override
    public Optional<String> needsStream() {
        return Optional.empty();
    }
}
