package io.natsmigrate.core;

import io.nats.client.JetStreamApiException;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.natsmigrate.primitives.JetStreamErrorCodes;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Provisions a durable consumer with create-or-update: never deletes and recreates (no consumer churn, no lost
 * position). Rollback deletes a consumer this step created and restores the settings of one it updated.
 */
final class ConsumerStep implements Step {

    private final String stream;
    private final ConsumerConfiguration desired;

    ConsumerStep(String stream, ConsumerConfiguration desired) {
        this.stream = stream;
        this.desired = desired;
    }

    String consumerName() {
        return desired.getDurable() != null ? desired.getDurable() : desired.getName();
    }

    @Override
    public String name() {
        return "consumer " + stream + " > " + consumerName();
    }

    @Override
    public Optional<Map<String, Object>> declaration() {
        return Optional.of(Map.of("consumer", Map.of("stream", stream, "config", desired)));
    }

    @Override
    public Optional<String> needsStream() {
        return Optional.of(stream);
    }

    @Override
    public java.util.Set<io.natsmigrate.primitives.ServerFeature> requiredFeatures() {
        return desired.getPriorityGroups() == null || desired.getPriorityGroups().isEmpty() ? java.util.Set.of()
                : java.util.Set.of(io.natsmigrate.primitives.ServerFeature.PRIORITY_GROUPS);
    }

    @Override
    public StepCheck check(StepContext ctx) throws Exception {
        Optional<ConsumerInfo> live = live(ctx);
        if (live.isEmpty()) {
            return StepCheck.missing();
        }
        List<FieldDiff> diffs = diff(live.get().getConsumerConfiguration());
        return diffs.isEmpty() ? StepCheck.inSync() : StepCheck.drifted(diffs);
    }

    private List<FieldDiff> diff(ConsumerConfiguration live) {
        String defaults = ConsumerConfiguration.builder().durable(consumerName()).build().toJson();
        return ConfigDiff.diff(desired.toJson(), defaults, live.toJson());
    }

    @Override
    public StepResult apply(StepContext ctx) throws Exception {
        Optional<ConsumerInfo> live = live(ctx);
        if (live.isPresent() && diff(live.get().getConsumerConfiguration()).isEmpty()) {
            return StepResult.of(StepResult.Action.ADOPTED);
        }
        ctx.countWrite();
        ctx.jsm().addOrUpdateConsumer(stream, desired);
        return live.isEmpty() ? StepResult.of(StepResult.Action.CREATED)
                : new StepResult(StepResult.Action.UPDATED, live.get().getConsumerConfiguration().toJson());
    }

    @Override
    public void rollback(StepContext ctx, StepResult applied) throws Exception {
        switch (applied.action()) {
            case CREATED -> {
                if (live(ctx).isPresent()) {
                    ctx.countWrite();
                    ctx.jsm().deleteConsumer(stream, consumerName());
                }
            }
            case UPDATED -> {
                ctx.countWrite();
                ctx.jsm().addOrUpdateConsumer(stream, ConsumerConfiguration.builder()
                        .json(applied.undo()).build());
            }
            default -> {
                // adopted: left as it was
            }
        }
    }

    private Optional<ConsumerInfo> live(StepContext ctx) throws Exception {
        ctx.countRead();
        try {
            return Optional.of(ctx.jsm().getConsumerInfo(stream, consumerName()));
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == JetStreamErrorCodes.CONSUMER_NOT_FOUND
                    || e.getApiErrorCode() == JetStreamErrorCodes.STREAM_NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
