package io.natsmigrate.core;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The six phases of a migration with an overlap, in one place for every recipe that has one (Core to JetStream,
 * RabbitMQ): {@code provision} (the recipe's streams and consumers), {@code dual-publish}, {@code shadow},
 * {@code cutover}, {@code jetstream-only} and {@code decommission}, each after the previous, each recording a
 * marker step, with the recipe's gates. The phase names are {@link CoreToJetStreamRecipe#PROVISION} and its
 * siblings; the dual publisher's {@code followPlan} maps them to publish modes.
 */
public final class OverlapPhases {

    private OverlapPhases() {
    }

    /**
     * Adds the six phases to {@code plan}.
     *
     * @param legacy       what the legacy path is called in the markers, e.g. "Core" or "RabbitMQ"
     * @param provision    the provision phase's steps
     * @param dualGates    gates of {@code dual-publish} (e.g. routing checks)
     * @param shadowGates  gates of {@code shadow} (e.g. parity)
     * @param cutoverGates gates of {@code cutover} (e.g. legacy consumers drained)
     * @param decommission what decommissioning the legacy path does; irreversible
     */
    public static MigrationPlan.Builder addTo(MigrationPlan.Builder plan, String legacy,
                                              Consumer<Phase.Builder> provision, List<Gate> dualGates,
                                              List<Gate> shadowGates, List<Gate> cutoverGates,
                                              Steps.Action decommission) {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(legacy, "legacy");
        Objects.requireNonNull(provision, "provision");
        Objects.requireNonNull(dualGates, "dualGates (List.of() for none)");
        Objects.requireNonNull(shadowGates, "shadowGates (List.of() for none)");
        Objects.requireNonNull(cutoverGates, "cutoverGates (List.of() for none)");
        Objects.requireNonNull(decommission, "decommission");
        return plan
                .phase(CoreToJetStreamRecipe.PROVISION, provision)
                .phase(CoreToJetStreamRecipe.DUAL_PUBLISH, p -> {
                    dualGates.forEach(p::gate);
                    p.step(Steps.marker("publishers write to " + legacy + " and JetStream"));
                })
                .phase(CoreToJetStreamRecipe.SHADOW, p -> {
                    shadowGates.forEach(p::gate);
                    p.step(Steps.marker("JetStream consumers verified in shadow"));
                })
                .phase(CoreToJetStreamRecipe.CUTOVER, p -> {
                    cutoverGates.forEach(p::gate);
                    p.step(Steps.marker("consumers read from JetStream"));
                })
                .phase(CoreToJetStreamRecipe.JETSTREAM_ONLY, p -> p.step(Steps.marker(
                        "publishers write to JetStream only")))
                .phase(CoreToJetStreamRecipe.DECOMMISSION, p -> p.step(decommission == Steps.Action.NONE
                        ? Steps.irreversibleMarker(CoreToJetStreamRecipe.DECOMMISSION_STEP)
                        : Steps.irreversibleAction(CoreToJetStreamRecipe.DECOMMISSION_STEP, decommission)));
    }
}
