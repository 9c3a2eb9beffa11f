package io.natsmigrate.core;

import io.nats.client.api.ConsumerInfo;
import io.natsmigrate.primitives.ServerFeature;
import io.natsmigrate.primitives.ServerTooOldException;
import io.natsmigrate.primitives.Subjects;

import java.time.Duration;
import java.util.Objects;

/** Gates the engine ships with. */
public final class Gates {

    private Gates() {
    }

    /**
     * Passes when the consumer has delivered everything and nothing awaits an ack
     * ({@code num_pending == 0 && num_ack_pending == 0}): the old path is drained.
     */
    public static Gate consumerDrained(String stream, String consumer, Duration timeout) {
        Names.requireStreamName("stream", stream);
        Objects.requireNonNull(consumer, "consumer");
        return DeclaredGate.of(Gate.of("consumer " + stream + " > " + consumer + " drained", timeout, nc -> {
            ConsumerInfo ci = nc.jetStreamManagement().getConsumerInfo(stream, consumer);
            String detail = "num_pending=" + ci.getNumPending() + ", num_ack_pending=" + ci.getNumAckPending();
            return ci.getNumPending() == 0 && ci.getNumAckPending() == 0 ? GateResult.pass(detail)
                    : GateResult.fail(detail);
        }), "consumerDrained", "stream", stream, "consumer", consumer);
    }

    /**
     * Passes once {@code stream} has at least {@code atLeast} consumers (for example the source consumers of the
     * streams that source it: an interest stream drops a message nobody's consumer is interested in yet).
     */
    public static Gate consumersAttached(String stream, long atLeast, Duration timeout) {
        Names.requireStreamName("stream", stream);
        if (atLeast < 1) {
            throw new IllegalArgumentException("atLeast must be 1 or more, was " + atLeast);
        }
        return DeclaredGate.of(Gate.of("at least " + atLeast + " consumers on " + stream, timeout, nc -> {
            long attached = nc.jetStreamManagement().getStreamInfo(stream).getStreamState().getConsumerCount();
            String detail = attached + " of " + atLeast + " consumers attached";
            return attached >= atLeast ? GateResult.pass(detail) : GateResult.fail(detail);
        }), "consumersAttached", "stream", stream, "atLeast", atLeast);
    }

    /**
     * Passes while every durable consumer of {@code stream} keeps up: none has missed messages the stream dropped at
     * its limits before delivering them, and none has more than {@code maxFill} (0..1) of the stream's
     * {@code max_msgs} pending. For streams with limits retention and discard-old, where a consumer that falls behind
     * loses messages silently (preflight warns about them).
     */
    public static Gate consumersKeepUp(String stream, double maxFill, Duration timeout) {
        Objects.requireNonNull(stream, "stream");
        if (!(maxFill > 0 && maxFill <= 1)) {
            throw new IllegalArgumentException("maxFill must be within (0, 1], was " + maxFill);
        }
        return DeclaredGate.of(Gate.of("consumers of " + stream + " keep up", timeout,
                nc -> LimitsCheck.keepUp(nc.jetStreamManagement(), stream, maxFill)),
                "consumersKeepUp", "stream", stream, "maxFill", maxFill);
    }

    /**
     * Passes when a message published on {@code subject} from the runner's connection is stored in {@code stream}
     * on the runner's system and in no other stream anywhere (another account, a leaf node's domain), as a trace-only message shows it ({@link RouteTrace}: nothing is delivered or
     * stored). The detail names the streams the trace found. Needs nats-server 2.11+: on an older server the
     * gate fails at once with {@link ServerTooOldException}.
     */
    public static Gate storedOnlyIn(String subject, String stream, Duration timeout) {
        Subjects.requirePublishSubject(subject);
        Names.requireStreamName("stream", stream);
        return DeclaredGate.of(Gate.of(subject + " is stored only in stream " + stream, timeout,
                nc -> storedOnlyIn(RouteTrace.on(nc).trace(subject), stream, nc)),
                "storedOnlyIn", "subject", subject, "stream", stream, "requireTrace", true);
    }

    /**
     * Like {@link #storedOnlyIn}, but on a server older than 2.11, which cannot trace messages, the gate passes with
     * a note instead of failing: for plans that must also run on older servers (the Core to JetStream recipe's
     * route check).
     */
    public static Gate storedOnlyInWhereTraceable(String subject, String stream, Duration timeout) {
        Gate strict = storedOnlyIn(subject, stream, timeout);
        return DeclaredGate.of(Gate.of(strict.name(), timeout, nc -> ServerFeature.MESSAGE_TRACE.isSupportedBy(nc)
                        ? strict.evaluate(nc)
                        : GateResult.pass("not checked: message tracing needs nats-server 2.11+")),
                "storedOnlyIn", "subject", subject, "stream", stream, "requireTrace", false);
    }

    static GateResult storedOnlyIn(TracedRoute route, String stream, io.nats.client.Connection nc) {
        java.util.List<String> where = new java.util.ArrayList<>();
        boolean only = !route.storedIn().isEmpty();
        for (TracedRoute.StoredIn s : route.storedIn()) {
            boolean here = TracedRoute.belongsTo(s.server(), nc);
            only &= here && s.stream().equals(stream);
            where.add(s.stream() + (here ? "" : " on " + s.server().serverName()
                    + (s.server().domain() == null ? "" : " (domain " + s.server().domain() + ")")));
        }
        String detail = "stored in " + where + (route.complete() ? "" : " (trace incomplete)")
                + (route.errors().isEmpty() ? "" : ", errors " + route.errors());
        return only && route.errors().isEmpty() ? GateResult.pass(detail) : GateResult.fail(detail);
    }

    /**
     * A gate decided when the plan reaches it: {@code gate} is called the first time the gate is evaluated, so a
     * gate that needs what an earlier phase creates (a parity verifier needs its stream) can be declared with the
     * plan. Its timeout is the given one; its name is {@code name}.
     */
    public static Gate late(String name, Duration timeout, java.util.function.Supplier<Gate> gate) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(gate, "gate");
        return new Gate() {
            private Gate bound;

            @Override
            public String name() {
                return name;
            }

            @Override
            public synchronized GateResult evaluate(io.nats.client.Connection nc) throws Exception {
                if (bound == null) {
                    bound = Objects.requireNonNull(gate.get(), "the late gate's supplier returned null");
                }
                return bound.evaluate(nc);
            }

            @Override
            public Duration timeout() {
                return timeout;
            }

            @Override
            public Duration pollInterval() {
                return bound == null ? Duration.ofMillis(200) : bound.pollInterval();
            }
        };
    }
}
