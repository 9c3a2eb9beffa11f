package io.natsmigrate.core;

import io.nats.client.Connection;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StreamConfiguration;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Create-or-update of single streams and consumers outside a plan, with the engine's drift rules (server-filled
 * defaults are not drift; consumers are never deleted and recreated). Used by other modules' components that own
 * their resources, such as the DLQ and the consumer runner. Transient cluster errors (a new R3 stream whose leader
 * is still being elected answers nothing for a moment) are retried for up to {@link #TRANSIENT_RETRY}.
 */
public final class Provisioning {

    /** How long a create, update or check is retried through transient cluster errors. */
    public static final Duration TRANSIENT_RETRY = Duration.ofSeconds(30);

    private Provisioning() {
    }

    /**
     * What an ensure call did.
     *
     * @param action {@code CREATED}, {@code UPDATED} or {@code ADOPTED} (already as wanted)
     * @param diffs for updates: what changed
     */
    public record Result(StepResult.Action action, List<FieldDiff> diffs) {
    }

    /** Makes the stream exist with {@code config}. */
    public static Result ensureStream(Connection nc, StreamConfiguration config) throws Exception {
        return ensure(nc, new StreamStep(config));
    }

    /** Makes the durable consumer exist on {@code stream} with {@code config}. */
    public static Result ensureConsumer(Connection nc, String stream, ConsumerConfiguration config) throws Exception {
        return ensure(nc, Steps.consumer(stream, config));
    }

    /** The differences between {@code config} and the live stream (empty: in sync; MISSING: absent). */
    public static StepCheck checkStream(Connection nc, StreamConfiguration config) throws Exception {
        StreamStep step = new StreamStep(config);
        return TransientErrors.retry(nc, TRANSIENT_RETRY, "checking stream " + config.getName(),
                () -> step.check(context(nc)));
    }

    private static Result ensure(Connection nc, Step step) throws Exception {
        StepContext ctx = context(nc);
        return TransientErrors.retry(nc, TRANSIENT_RETRY, "provisioning " + step.name(), () -> {
            StepCheck before = step.check(ctx);
            if (before.status() == StepCheck.Status.IN_SYNC) {
                return new Result(StepResult.Action.ADOPTED, List.of());
            }
            StepResult r = step.apply(ctx);
            return new Result(r.action(), before.diffs());
        });
    }

    private static StepContext context(Connection nc) throws IOException {
        return new StepContext(nc, "provisioning", "local");
    }
}
