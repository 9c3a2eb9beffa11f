package io.natsmigrate.dualpublish;

import io.natsmigrate.core.CoreToJetStreamRecipe;

/** The default phase-to-mode mapping for plans built by {@link CoreToJetStreamRecipe}. */
public final class RecipePhases {

    private RecipePhases() {
    }

    /**
     * Before {@code dual-publish} (and before the first phase): legacy only; {@code dual-publish}, {@code shadow},
     * {@code cutover}: dual; {@code jetstream-only}, {@code decommission}: JetStream only; other phases: keep.
     */
    public static PublishMode mode(String phase) {
        if (phase == null || phase.equals(CoreToJetStreamRecipe.PROVISION)) {
            return PublishMode.LEGACY_ONLY;
        }
        return switch (phase) {
            case CoreToJetStreamRecipe.DUAL_PUBLISH, CoreToJetStreamRecipe.SHADOW, CoreToJetStreamRecipe.CUTOVER ->
                    PublishMode.DUAL;
            case CoreToJetStreamRecipe.JETSTREAM_ONLY, CoreToJetStreamRecipe.DECOMMISSION -> PublishMode.JETSTREAM_ONLY;
            default -> null;
        };
    }
}
