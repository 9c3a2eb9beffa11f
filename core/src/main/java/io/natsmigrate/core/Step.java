package io.natsmigrate.core;

import io.nats.client.Connection;
import io.natsmigrate.primitives.ServerFeature;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One idempotent change of a {@link MigrationPlan}: apply it any number of times and the live state converges;
 * check it to see whether live state matches; roll it back if it is {@link Reversibility#REVERSIBLE}.
 * Provisioning steps come from {@link Steps}; other modules and applications implement their own.
 */
public interface Step {

    /** Unique within the plan. */
    String name();

    /** Compares live state with what the step wants. One read at most. */
    StepCheck check(StepContext ctx) throws Exception;

    /** Makes live state match. Must be idempotent: it may run again after a crash. */
    StepResult apply(StepContext ctx) throws Exception;

    /** Whether {@link #rollback} can undo the step. */
    default Reversibility reversibility() {
        return Reversibility.REVERSIBLE;
    }

    /** Undoes the step, given what {@link #apply} returned as {@link StepResult#undo()}. */
    default void rollback(StepContext ctx, StepResult applied) throws Exception {
    }

    /** Preconditions waited on before the step is applied. */
    default List<Gate> gates() {
        return List.of();
    }

    /** Server features the step needs (checked by preflight). */
    default Set<ServerFeature> requiredFeatures() {
        return Set.of();
    }

    /** The stream the step provisions, for plan validation. */
    default Optional<io.nats.client.api.StreamConfiguration> providesStream() {
        return Optional.empty();
    }

    /**
     * Whether applying the step removes a resource (a delete step): the dry run then reports a live resource as
     * {@code DELETE} rather than adopted. Wrappers report the step they wrap.
     */
    default boolean removesResource() {
        return false;
    }

    /**
     * The connections besides the runner's that the step sends requests on (another system, the old side of a
     * move). A request on one of them that goes unanswered because the server denied it then fails the step at
     * once with {@link io.natsmigrate.primitives.PermissionDeniedException}, instead of being retried as a
     * transient timeout until the runner's retry bound. Wrappers add the connections of the step they wrap.
     */
    default List<Connection> connections() {
        return List.of();
    }

    /**
     * This step as one element of a plan file ({@link io.natsmigrate.core.planfile.PlanFile}): a map with one key,
     * the element's kind ({@code stream}, {@code consumer}, {@code deleteStream}, {@code deleteConsumer},
     * {@code marker}), whose value holds its fields (strings, numbers, booleans, lists, {@link java.time.Duration},
     * {@link io.nats.client.api.StreamConfiguration}, {@link io.nats.client.api.ConsumerConfiguration}). Empty for
     * a step only Java can express (application code, another system's connection): such a plan cannot be written
     * out as a file.
     */
    default Optional<Map<String, Object>> declaration() {
        return Optional.empty();
    }

    /** The stream the step needs to exist, for plan validation. */
    default Optional<String> needsStream() {
        return Optional.empty();
    }
}
