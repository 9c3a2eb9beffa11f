package io.natsmigrate.core;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds limits that can drop messages durable consumers have not received: a stream with limits retention and
 * discard-old whose {@code max_msgs}, {@code max_bytes} or {@code max_age} is set, and durable consumers on it (in
 * the plan or on the server). While such a consumer is behind, or not running yet, the stream drops the oldest
 * messages it has not delivered, silently. Reported by preflight, the dry run and status, with live figures when the
 * stream exists; {@link #keepUp} is the matching gate.
 */
final class LimitsCheck {

    private LimitsCheck() {
    }

    /** One warning per stream at risk, with the figures. */
    static List<String> warnings(MigrationPlan plan, JetStreamManagement jsm) {
        List<String> out = new ArrayList<>();
        for (Step step : plan.steps()) {
            if (step.providesStream().isEmpty()) {
                continue;
            }
            StreamConfiguration c = step.providesStream().get();
            if (!dropsOldest(c)) {
                continue;
            }
            List<String> planned = plan.steps().stream().filter(s -> s.needsStream().filter(c.getName()::equals)
                    .isPresent()).map(Step::name).toList();
            StringBuilder w = new StringBuilder();
            StreamInfo live = info(jsm, c.getName());
            List<ConsumerInfo> consumers = live == null ? List.of() : consumers(jsm, c.getName());
            if (planned.isEmpty() && consumers.stream().noneMatch(ci -> ci.getConsumerConfiguration().getDurable() != null)) {
                continue;
            }
            w.append("Stream ").append(c.getName()).append(" drops its oldest messages at ").append(limits(c))
                    .append(" (limits retention, discard old): a durable consumer that is behind, or not running yet,"
                            + " loses messages it never received.");
            if (live != null) {
                long first = live.getStreamState().getFirstSequence();
                w.append(" Now: ").append(live.getStreamState().getMsgCount()).append(" messages stored");
                if (consumers.isEmpty()) {
                    w.append(", no consumer yet");
                }
                for (ConsumerInfo ci : consumers) {
                    long missed = Math.max(0, first - (ci.getDelivered().getStreamSequence() + 1));
                    w.append("; consumer ").append(ci.getName()).append(" has ").append(ci.getNumPending())
                            .append(" pending");
                    if (missed > 0 && ci.getDelivered().getStreamSequence() + 1 < first) {
                        w.append(" and already missed ").append(missed).append(" dropped before delivery");
                    }
                }
                w.append('.');
            }
            w.append(" Fix: raise the limit, use interest or work-queue retention, or start the consumers first;"
                    + " Gates.consumersKeepUp(\"").append(c.getName()).append("\", ...) stops a phase while they lag.");
            out.add(w.toString());
        }
        return out;
    }

    /** The gate: every durable consumer of {@code stream} has missed nothing and is within {@code maxFill} of a count limit. */
    static GateResult keepUp(JetStreamManagement jsm, String stream, double maxFill) throws IOException,
            JetStreamApiException {
        StreamInfo si = jsm.getStreamInfo(stream);
        long first = si.getStreamState().getFirstSequence();
        long maxMsgs = si.getConfiguration().getMaxMsgs();
        List<String> lagging = new ArrayList<>();
        for (ConsumerInfo ci : jsm.getConsumers(stream)) {
            if (ci.getConsumerConfiguration().getDurable() == null) {
                continue;
            }
            long delivered = ci.getDelivered().getStreamSequence();
            if (delivered + 1 < first && si.getStreamState().getMsgCount() > 0) {
                lagging.add(ci.getName() + " missed " + (first - delivered - 1) + " dropped messages");
            } else if (maxMsgs > 0 && ci.getNumPending() > maxFill * maxMsgs) {
                lagging.add(ci.getName() + " has " + ci.getNumPending() + " pending of at most " + maxMsgs);
            }
        }
        return lagging.isEmpty() ? GateResult.pass("every durable consumer of " + stream + " keeps up")
                : GateResult.fail(String.join("; ", lagging));
    }

    static boolean dropsOldest(StreamConfiguration c) {
        return c.getRetentionPolicy() == RetentionPolicy.Limits && c.getDiscardPolicy() != DiscardPolicy.New
                && (c.getMaxMsgs() > 0 || c.getMaxBytes() > 0 || (c.getMaxAge() != null && !c.getMaxAge().isZero()));
    }

    private static String limits(StreamConfiguration c) {
        List<String> l = new ArrayList<>();
        if (c.getMaxMsgs() > 0) {
            l.add("max_msgs " + c.getMaxMsgs());
        }
        if (c.getMaxBytes() > 0) {
            l.add("max_bytes " + Readable.bytes(c.getMaxBytes()));
        }
        if (c.getMaxAge() != null && !c.getMaxAge().isZero()) {
            l.add("max_age " + Readable.duration(c.getMaxAge()));
        }
        return String.join(", ", l);
    }

    private static StreamInfo info(JetStreamManagement jsm, String stream) {
        try {
            return jsm.getStreamInfo(stream);
        } catch (IOException | JetStreamApiException e) {
            return null;
        }
    }

    private static List<ConsumerInfo> consumers(JetStreamManagement jsm, String stream) {
        try {
            return jsm.getConsumers(stream);
        } catch (IOException | JetStreamApiException e) {
            return List.of();
        }
    }
}
