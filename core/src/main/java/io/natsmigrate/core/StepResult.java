package io.natsmigrate.core;

/**
 * What an apply did.
 *
 * @param action the kind of change
 * @param undo what the step needs to roll itself back (e.g. the previous config as JSON), or null
 */
public record StepResult(Action action, String undo) {

    /** Kinds of change. */
    public enum Action {
        /** The resource was created by this plan. */
        CREATED,
        /** An existing resource was updated (its previous config is kept for rollback). */
        UPDATED,
        /** An existing resource already matched and was adopted unchanged. */
        ADOPTED,
        /** A resource was deleted. */
        DELETED,
        /** An action step ran. */
        RAN
    }

    public static StepResult of(Action action) {
        return new StepResult(action, null);
    }
}
