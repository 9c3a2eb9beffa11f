package io.natsmigrate.core;

import io.nats.client.JetStreamApiException;
import io.natsmigrate.primitives.JetStreamErrorCodes;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Deletes a consumer (e.g. an old path's consumer after cutover). Irreversible: its position is lost. */
final class DeleteConsumerStep implements Step {

    private final String stream;
    private final String consumer;

    DeleteConsumerStep(String stream, String consumer) {
        this.stream = stream;
        this.consumer = consumer;
    }

    @Override
    public Optional<Map<String, Object>> declaration() {
        return Optional.of(Map.of("deleteConsumer",
                Map.of("stream", stream, "consumer", consumer)));
    }

    @Override
    public boolean removesResource() {
        return true;
    }

    @Override
    public String name() {
        return "delete consumer " + stream + " > " + consumer;
    }

    @Override
    public Reversibility reversibility() {
        return Reversibility.IRREVERSIBLE;
    }

    @Override
    public StepCheck check(StepContext ctx) throws Exception {
        ctx.countRead();
        try {
            ctx.jsm().getConsumerInfo(stream, consumer);
            return StepCheck.drifted(List.of(new FieldDiff("exists", false, true)));
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == JetStreamErrorCodes.CONSUMER_NOT_FOUND
                    || e.getApiErrorCode() == JetStreamErrorCodes.STREAM_NOT_FOUND) {
                return StepCheck.inSync();
            }
            throw e;
        }
    }

    @Override
    public StepResult apply(StepContext ctx) throws Exception {
        if (check(ctx).status() != StepCheck.Status.IN_SYNC) {
            ctx.countWrite();
            ctx.jsm().deleteConsumer(stream, consumer);
        }
        return StepResult.of(StepResult.Action.DELETED);
    }
}
