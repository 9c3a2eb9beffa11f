package io.natsmigrate.core;

import io.nats.client.Connection;
import io.nats.client.JetStreamOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StreamConfiguration;

import java.util.List;
import java.util.Objects;

/** Factories for the steps the engine ships with. */
public final class Steps {

    private Steps() {
    }

    /** Create, update or adopt a stream (see the class comment of the engine's stream step in the README). */
    public static Step stream(StreamConfiguration config) {
        Objects.requireNonNull(config, "config");
        return new StreamStep(config);
    }

    /**
     * Like {@link #stream}, with the replicas chosen by the server the plan is applied to: min(3, cluster size) on
     * a cluster, 1 on a single server ({@link ClusterReplicas}); the replicas in {@code config} are ignored. An
     * existing stream's replicas are never lowered (a node down during a rolling restart makes the cluster look
     * smaller). For streams a recipe generates, so the same plan survives a node's restart on a cluster and still
     * applies to a single server.
     */
    public static Step streamWithClusterReplicas(StreamConfiguration config) {
        Objects.requireNonNull(config, "config");
        return new StreamStep(config, true);
    }

    /**
     * Create (or adopt) the durable consumer of a {@link DurableSource} on its origin; put it before the stream
     * that sources through it. Needs nats-server 2.14.
     */
    public static Step durableSource(DurableSource source) {
        Objects.requireNonNull(source, "source");
        return new DurableSourceStep(source);
    }

    /** Create, update or adopt a durable consumer on {@code stream}. */
    public static Step consumer(String stream, ConsumerConfiguration config) {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(config, "config");
        if (config.getDurable() == null && config.getName() == null) {
            throw new InvalidPlanException("consumer on stream " + stream, "it has no durable name; a migration"
                    + " provisions durable consumers (ConsumerConfiguration.builder().durable(\"name\"))");
        }
        return new ConsumerStep(stream, config);
    }

    /** Delete a stream; irreversible. */
    public static Step deleteStream(String stream) {
        Objects.requireNonNull(stream, "stream");
        return new DeleteStreamStep(stream);
    }

    /** Delete a consumer; irreversible. */
    public static Step deleteConsumer(String stream, String consumer) {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(consumer, "consumer");
        return new DeleteConsumerStep(stream, consumer);
    }

    /** Application code with an undo (reversible). */
    public static Step action(String name, Action apply, Action undo, Gate... gates) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(apply, "apply");
        Objects.requireNonNull(undo, "undo (use irreversibleAction for a step that cannot be undone)");
        return new ActionStep(name, apply::run, undo::run, List.of(gates));
    }

    /** Application code that cannot be undone: applying it needs confirmation. */
    public static Step irreversibleAction(String name, Action apply, Gate... gates) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(apply, "apply");
        return new ActionStep(name, apply::run, null, List.of(gates));
    }

    /** A step that only records that a point was reached (e.g. "publishers switched"); reversible. */
    public static Step marker(String name, Gate... gates) {
        Objects.requireNonNull(name, "name");
        return ActionStep.marker(name, true, List.of(gates));
    }

    /**
     * A marker that cannot be undone: applying it needs confirmation, and rolling back past it is refused (e.g. "the
     * legacy path is decommissioned", when the decommissioning itself is done outside the plan).
     */
    public static Step irreversibleMarker(String name, Gate... gates) {
        Objects.requireNonNull(name, "name");
        return ActionStep.marker(name, false, List.of(gates));
    }

    /**
     * Runs {@code step} on another system: {@code nc} with {@code options} (for example
     * {@code JetStreamOptions.builder().domain("leaf").build()} for a leaf node's streams). The step's name gets
     * " on " + {@code system}, so the same stream can be provisioned on two systems in one plan.
     */
    public static Step onSystem(String system, Connection nc, JetStreamOptions options, Step step) {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(nc, "nc");
        Objects.requireNonNull(options, "options (JetStreamOptions.DEFAULT_JS_OPTIONS for none)");
        Objects.requireNonNull(step, "step");
        return new SystemStep(system, nc, options, step);
    }

    /** Application code of {@link #action} steps. */
    @FunctionalInterface
    public interface Action {
        /**
         * Does nothing: the default decommissioning of the recipes, which then record an
         * {@linkplain #irreversibleMarker irreversible marker} a plan file can express.
         */
        Action NONE = ctx -> { };

        void run(StepContext ctx) throws Exception;
    }
}
