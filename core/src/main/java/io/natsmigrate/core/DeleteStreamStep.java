package io.natsmigrate.core;

import io.nats.client.JetStreamApiException;
import io.natsmigrate.primitives.JetStreamErrorCodes;
import java.util.Map;
import java.util.Optional;


/** Deletes a stream (e.g. a legacy or bridge stream). Irreversible: applying it needs confirmation. */
final class DeleteStreamStep implements Step {

    private final String stream;

    DeleteStreamStep(String stream) {
        this.stream = stream;
    }

    @Override
    public Optional<Map<String, Object>> declaration() {
        return Optional.of(Map.of("deleteStream", Map.of("stream", stream)));
    }

    @Override
    public boolean removesResource() {
        return true;
    }

    @Override
    public String name() {
        return "delete stream " + stream;
    }

    @Override
    public Reversibility reversibility() {
        return Reversibility.IRREVERSIBLE;
    }

    @Override
    public StepCheck check(StepContext ctx) throws Exception {
        ctx.countRead();
        try {
            ctx.jsm().getStreamInfo(stream);
            return StepCheck.drifted(java.util.List.of(new FieldDiff("exists", false, true)));
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == JetStreamErrorCodes.STREAM_NOT_FOUND) {
                return StepCheck.inSync();
            }
            throw e;
        }
    }

    @Override
    public StepResult apply(StepContext ctx) throws Exception {
        if (check(ctx).status() == StepCheck.Status.IN_SYNC) {
            return StepResult.of(StepResult.Action.DELETED); // already gone: idempotent
        }
        ctx.countWrite();
        ctx.jsm().deleteStream(stream);
        return StepResult.of(StepResult.Action.DELETED);
    }
}
