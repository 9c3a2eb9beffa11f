package io.natsmigrate.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Objects;
import java.util.Optional;

/**
 * What a cross-system consumer move did ({@link CrossSystemRecipe#moveConsumerStep(String, String)}): where the
 * old consumer stood and where the new one starts. Recorded with the step in the plan's state; read it back with
 * {@link #recordedIn(PlanState, String, String)}.
 *
 * @param stream the stream, same name on both systems
 * @param consumer the durable consumer, same name on both systems
 * @param oldAckFloor the old consumer's ack floor (stream sequence) after it was paused and drained
 * @param startSequence the new stream's sequence the new consumer starts at
 * @param horizon how many of the old consumer's unprocessed messages were looked up on the new stream to find the
 *                start (the reorder horizon; fewer when fewer were waiting)
 * @param reorderedAhead how many of those the new stream holds before the first unprocessed message in the old
 *                       stream's order: what a start at that first message would have lost
 * @param markedProcessed messages at or after the start that the old consumer had already processed, recorded in
 *                        {@link #processedBucket()} so an idempotent service skips them
 * @param processedBucket the KV bucket on the new system holding those records
 */
public record ConsumerMove(String stream, String consumer, long oldAckFloor, long startSequence, int horizon,
                           int reorderedAhead, int markedProcessed, String processedBucket) {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public ConsumerMove {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(consumer, "consumer");
    }

    /** The move of {@code stream}/{@code consumer} recorded in {@code state}, if that step has been applied. */
    public static Optional<ConsumerMove> recordedIn(PlanState state, String stream, String consumer) {
        Objects.requireNonNull(state, "state");
        PlanState.AppliedStep step = state.steps().get(CrossSystemRecipe.moveConsumerStep(stream, consumer));
        if (step == null || step.undo() == null) {
            return Optional.empty();
        }
        return Optional.of(fromJson(step.undo()));
    }

    String toJson() {
        return io.natsmigrate.core.internal.Json.pretty(this);
    }

    static ConsumerMove fromJson(String json) {
        try {
            return MAPPER.readValue(json, ConsumerMove.class);
        } catch (JsonProcessingException e) {
            throw new MigrationException("The recorded consumer move is not readable (" + e.getOriginalMessage()
                    + "): it was written by another version of natsmigrate. Roll the consumers phase back with"
                    + " that version, or delete the plan's state to start over", e);
        }
    }
}
