package io.natsmigrate.core;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.StreamInfo;
import io.nats.client.api.StreamState;
import io.natsmigrate.primitives.JetStreamErrorCodes;

import java.util.List;
import java.util.function.Supplier;

/**
 * A plan step that copies a stream by snapshot and restore ({@link StreamCopy}). In sync when the target has the
 * stream with the source's messages; applying it again then does nothing. Rolling it back deletes the copy it made
 * (the source was never changed); a stream that was already there is left alone.
 */
final class StreamCopyStep implements Step {

    private final String stream;
    private final Connection source;
    private final Connection target;
    private final Supplier<StreamCopy> copy;

    StreamCopyStep(String stream, Connection source, Connection target, Supplier<StreamCopy> copy) {
        this.stream = stream;
        this.source = source;
        this.target = target;
        this.copy = copy;
    }

    static String nameFor(String stream) {
        return "copy stream " + stream + " by snapshot";
    }

    @Override
    public String name() {
        return nameFor(stream);
    }

    @Override
    public StepCheck check(StepContext ctx) throws Exception {
        StreamInfo there = info(target);
        if (there == null) {
            return StepCheck.missing();
        }
        StreamInfo src = info(source);
        if (src != null && StreamCopy.sameMessages(src.getStreamState(), there.getStreamState())) {
            return StepCheck.inSync();
        }
        StreamState live = there.getStreamState();
        StreamState want = src == null ? null : src.getStreamState();
        return StepCheck.drifted(List.of(new FieldDiff("messages", want == null ? null : want.getMsgCount(),
                live.getMsgCount()), new FieldDiff("last_seq", want == null ? null : want.getLastSequence(),
                live.getLastSequence())));
    }

    @Override
    public StepResult apply(StepContext ctx) throws Exception {
        StreamCopyResult r = copy.get().copy();
        return StepResult.of(r.alreadyCopied() ? StepResult.Action.ADOPTED : StepResult.Action.CREATED);
    }

    @Override
    public void rollback(StepContext ctx, StepResult applied) throws Exception {
        if (applied.action() != StepResult.Action.CREATED) {
            return;
        }
        try {
            target.jetStreamManagement().deleteStream(stream);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != JetStreamErrorCodes.STREAM_NOT_FOUND) {
                throw e;
            }
        }
    }

    @Override
    public boolean removesResource() {
        return false;
    }

    private StreamInfo info(Connection nc) throws Exception {
        try {
            return nc.jetStreamManagement().getStreamInfo(stream);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == JetStreamErrorCodes.STREAM_NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }
}
