package io.natsmigrate.core;

import io.nats.client.JetStreamApiException;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.natsmigrate.primitives.JetStreamErrorCodes;
import io.natsmigrate.primitives.ServerFeature;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Provisions a stream: creates it, updates it when its settings drifted, or adopts an existing one that already
 * matches (created by hand, terraform or nack) without recreating it. Rollback deletes a stream this step
 * created and restores the previous settings of one it updated; an adopted stream is left alone.
 */
final class StreamStep implements Step {

    private final StreamConfiguration desired;
    /** Replicas chosen on the server when applied: min(3, cluster size) ({@link ClusterReplicas}). */
    private final boolean clusterReplicas;

    StreamStep(StreamConfiguration desired) {
        this(desired, false);
    }

    StreamStep(StreamConfiguration desired, boolean clusterReplicas) {
        this.desired = desired;
        this.clusterReplicas = clusterReplicas;
    }

    /**
     * The configuration to apply on {@code ctx}'s server. Cluster replicas are never lowered: with a node down (a
     * rolling restart) the server advertises fewer peers, and shrinking an existing stream then would cost its
     * redundancy and churn it back up once the node returns.
     */
    private StreamConfiguration desired(StepContext ctx, Optional<StreamInfo> live) {
        if (!clusterReplicas) {
            return desired;
        }
        int replicas = ClusterReplicas.defaultFor(ctx.connection());
        if (live.isPresent()) {
            replicas = Math.max(replicas, live.get().getConfiguration().getReplicas());
        }
        return StreamConfiguration.builder(desired).replicas(replicas).build();
    }

    @Override
    public String name() {
        return "stream " + desired.getName();
    }

    @Override
    public Optional<Map<String, Object>> declaration() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("config", desired);
        if (clusterReplicas) {
            fields.put("clusterReplicas", true);
        }
        return Optional.of(Map.of("stream", fields));
    }

    @Override
    public Optional<StreamConfiguration> providesStream() {
        return Optional.of(desired);
    }

    @Override
    public Set<ServerFeature> requiredFeatures() {
        Set<ServerFeature> features = EnumSet.noneOf(ServerFeature.class);
        if (desired.getAllowAtomicPublish()) {
            features.add(ServerFeature.ATOMIC_BATCH);
        }
        if (desired.getAllowMessageCounter()) {
            features.add(ServerFeature.COUNTERS);
        }
        if (desired.getAllowMsgSchedules()) {
            features.add(ServerFeature.MESSAGE_SCHEDULES);
        }
        return Set.copyOf(features);
    }

    @Override
    public StepCheck check(StepContext ctx) throws Exception {
        Optional<StreamInfo> live = live(ctx);
        if (live.isEmpty()) {
            return StepCheck.missing();
        }
        List<FieldDiff> diffs = diff(desired(ctx, live), live.get().getConfiguration());
        return diffs.isEmpty() ? StepCheck.inSync() : StepCheck.drifted(diffs);
    }

    private static List<FieldDiff> diff(StreamConfiguration desired, StreamConfiguration live) {
        String defaults = StreamConfiguration.builder().name(desired.getName()).build().toJson();
        return ConfigDiff.diff(desired.toJson(), defaults, live.toJson());
    }

    @Override
    public StepResult apply(StepContext ctx) throws Exception {
        // Also without a preflight: a server too old for a setting ignores it (schedules would never fire).
        requiredFeatures().forEach(f -> f.requireSupportedBy(ctx.connection()));
        Optional<StreamInfo> live = live(ctx);
        StreamConfiguration desired = desired(ctx, live);
        if (live.isEmpty()) {
            ctx.countWrite();
            ctx.jsm().addStream(desired);
            return StepResult.of(StepResult.Action.CREATED);
        }
        StreamConfiguration current = live.get().getConfiguration();
        List<FieldDiff> diffs = diff(desired, current);
        if (diffs.isEmpty()) {
            return StepResult.of(StepResult.Action.ADOPTED);
        }
        refuseImmutableChange(diffs);
        ctx.countWrite();
        ctx.jsm().updateStream(desired);
        return new StepResult(StepResult.Action.UPDATED, current.toJson());
    }

    /**
     * Settings nats-server refuses to change on an existing stream (error 10052) are refused here with the way out,
     * before the update is sent.
     */
    private void refuseImmutableChange(List<FieldDiff> diffs) {
        for (FieldDiff d : diffs) {
            if (d.field().equals("allow_msg_counter")) {
                throw new InvalidPlanException("stream " + desired.getName(), "allow_msg_counter is " + on(d.live())
                        + " on the server and " + on(d.desired()) + " in the plan, and nats-server cannot change it on an"
                        + " existing stream (error 10052). Create a new stream with the setting you want and source"
                        + " the existing one into it (counter streams add their sources' totals), or delete and"
                        + " recreate this one");
            }
        }
    }

    private static boolean on(Object value) {
        return Boolean.TRUE.equals(value); // the server leaves the field out when it is off
    }

    @Override
    public void rollback(StepContext ctx, StepResult applied) throws Exception {
        switch (applied.action()) {
            case CREATED -> {
                if (live(ctx).isPresent()) {
                    ctx.countWrite();
                    ctx.jsm().deleteStream(desired.getName());
                }
            }
            case UPDATED -> {
                ctx.countWrite();
                ctx.jsm().updateStream(StreamConfiguration.instance(applied.undo()));
            }
            default -> {
                // adopted: it existed before the plan and stays as it was
            }
        }
    }

    private Optional<StreamInfo> live(StepContext ctx) throws Exception {
        ctx.countRead();
        try {
            return Optional.of(ctx.jsm().getStreamInfo(desired.getName()));
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == JetStreamErrorCodes.STREAM_NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
