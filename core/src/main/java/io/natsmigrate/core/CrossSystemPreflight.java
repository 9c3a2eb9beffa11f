package io.natsmigrate.core;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.Message;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.natsmigrate.primitives.JetStreamErrorCodes;
import io.natsmigrate.primitives.ServerFeature;
import io.natsmigrate.primitives.Subjects;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/** The checks of {@link CrossSystemRecipe#preflight()}; each problem names its fix. Changes nothing. */
final class CrossSystemPreflight {

    /** How long the traced leak check waits for interest to spread before it calls the bridge tight. */
    private static final Duration TRACE_WINDOW = Duration.ofSeconds(2);

    private final String plan;
    private final Connection source;
    private final Connection target;
    private final String domain;
    private final Map<String, List<String>> streams;
    private final Duration forwardingProbe;

    CrossSystemPreflight(String plan, Connection source, Connection target, String domain,
                         Map<String, List<String>> streams, Duration forwardingProbe) {
        this.plan = plan;
        this.source = source;
        this.target = target;
        this.domain = domain;
        this.streams = Map.copyOf(streams);
        this.forwardingProbe = forwardingProbe;
    }

    void run() {
        List<String> problems = new ArrayList<>();
        closed("old", source, problems);
        closed("new", target, problems);
        if (!problems.isEmpty()) {
            throw new PreflightException(plan, problems);
        }
        try {
            check(problems);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problems.add("interrupted while checking");
        } catch (Exception e) {
            problems.add("could not complete the checks: " + e);
        }
        if (!problems.isEmpty()) {
            throw new PreflightException(plan, problems);
        }
    }

    /**
     * The leak check alone, for when the clones exist: the leaf forwards only subjects it is interested in itself,
     * so before the clones exist a missing deny rule cannot show.
     */
    void checkNoLeak() throws Exception {
        List<String> problems = new ArrayList<>();
        for (var e : streams.entrySet()) {
            StreamConfiguration old = stream(source.jetStreamManagement(), e.getKey());
            if (old != null && !old.getSubjects().isEmpty()) {
                leaks(old.getSubjects(), problems);
            }
        }
        if (!problems.isEmpty()) {
            throw new PreflightException(plan, problems);
        }
    }

    private static void closed(String which, Connection nc, List<String> problems) {
        if (nc.getStatus() == Connection.Status.CLOSED) {
            problems.add("The connection to the " + which + " system is closed: pass an open connection (the recipe"
                    + " uses the connections it was given for every step)");
        }
    }

    private void check(List<String> problems) throws Exception {
        boolean sourceOk = jetStream("old", source, problems);
        boolean targetOk = jetStream("new", target, problems);
        boolean leafFromSource = leafAnswers("old", source, problems);
        boolean leafFromTarget = leafAnswers("new", target, problems);
        if (!sourceOk || !targetOk) {
            return;
        }
        JetStreamManagement sjsm = source.jetStreamManagement();
        JetStreamManagement tjsm = target.jetStreamManagement();
        for (var e : streams.entrySet()) {
            StreamConfiguration old = stream(sjsm, e.getKey());
            if (old == null) {
                problems.add("Stream " + e.getKey() + " does not exist on the old system: fix the name in the recipe");
                continue;
            }
            if (old.getSubjects().isEmpty()) {
                problems.add("Stream " + e.getKey() + " on the old system has no subjects (a mirror or a stream fed"
                        + " only by sources), so the leaf cannot capture its traffic: migrate the stream it copies"
                        + " from instead");
            }
            for (String c : e.getValue()) {
                consumer(sjsm, e.getKey(), c, problems);
            }
            if (leafFromSource) {
                StreamConfiguration clone = stream(source.jetStreamManagement(
                        JetStreamOptions.builder().domain(domain).build()), e.getKey());
                if (clone != null && clone.getRetentionPolicy() != RetentionPolicy.Limits) {
                    problems.add("Stream " + e.getKey() + " already exists on the leaf (domain " + domain + ") with "
                            + clone.getRetentionPolicy() + " retention, which the target cannot source usefully"
                            + " (an interest stream without consumers keeps nothing; a work-queue stream is drained"
                            + " by the sourcing): delete it, or give it limits retention");
                }
            }
            overlaps(tjsm, e.getKey(), old.getSubjects(), problems);
            if (leafFromTarget && !old.getSubjects().isEmpty()) {
                leaks(old.getSubjects(), problems);
            }
        }
        if (!ServerFeature.CONSUMER_PAUSE.isSupportedBy(source)) {
            problems.add("The old system runs nats-server " + source.getServerInfo().getVersion() + "; moving"
                    + " consumers with their positions pauses them, which needs " + ServerFeature.CONSUMER_PAUSE
                    .minimumVersion() + "+: upgrade the old system's servers first");
        }
    }

    private boolean jetStream(String which, Connection nc, List<String> problems) throws Exception {
        try {
            String own = nc.jetStreamManagement().getAccountStatistics().getDomain();
            if (domain.equals(own)) {
                problems.add("The " + which + " system's JetStream domain is also \"" + domain + "\": the leaf's"
                        + " domain must differ from both systems' or API requests are ambiguous. Give the leaf its"
                        + " own domain (jetstream { domain: ... } in the leaf's config); do not change the old"
                        + " system's");
            }
            return true;
        } catch (JetStreamApiException | java.io.IOException e) {
            problems.add("JetStream does not answer on the " + which + " system (" + e.getMessage() + "): enable it"
                    + " for the account");
            return false;
        }
    }

    private boolean leafAnswers(String which, Connection nc, List<String> problems) throws InterruptedException {
        Message reply = null;
        try {
            reply = nc.request("$JS." + domain + ".API.INFO", new byte[0], Duration.ofSeconds(2));
        } catch (RuntimeException e) {
            // no responders or a closed connection: reported below
        }
        if (reply == null || reply.isStatusMessage()) {
            problems.add("No JetStream answers on $JS." + domain + ".API from the " + which + " system: the leaf"
                    + " node is not connected to it, or it runs without jetstream { domain: " + domain + " }."
                    + " Check the leaf's leafnodes.remotes and its jetstream block, and /leafz on the " + which
                    + " system");
            return false;
        }
        return true;
    }

    private void consumer(JetStreamManagement jsm, String stream, String consumer, List<String> problems)
            throws Exception {
        try {
            ConsumerInfo ci = jsm.getConsumerInfo(stream, consumer);
            if (ci.getConsumerConfiguration().getDurable() == null) {
                problems.add("Consumer " + stream + "/" + consumer + " is not durable: only durable consumers can"
                        + " be moved; ephemeral ones are recreated by their applications");
            }
        } catch (JetStreamApiException e) {
            problems.add("Consumer " + consumer + " does not exist on stream " + stream + " of the old system: fix"
                    + " the name in the recipe");
        }
    }

    private void overlaps(JetStreamManagement tjsm, String stream, List<String> subjects, List<String> problems)
            throws Exception {
        for (StreamInfo other : tjsm.getStreams()) {
            if (other.getConfiguration().getName().equals(stream)) {
                continue;
            }
            for (String theirs : other.getConfiguration().getSubjects()) {
                for (String ours : subjects) {
                    if (Subjects.overlap(theirs, ours)) {
                        problems.add("Stream " + other.getConfiguration().getName() + " on the new system listens"
                                + " on " + theirs + ", which overlaps " + ours + " of " + stream + ": the takeover"
                                + " of the subjects would fail. Narrow or remove that stream's subjects first");
                    }
                }
            }
        }
    }

    /**
     * Whether the old system's messages reach the target through the leaf: if they do, the target would store
     * every message twice once it owns the subjects. Actively by a trace-only message per subject (2.11+; the
     * target's servers report it even before any traffic flows), then passively by listening on the target for
     * real traffic. Either can only see a leak while the leaf is interested in the subjects (a clone exists).
     */
    private void leaks(List<String> subjects, List<String> problems) throws Exception {
        if (tracedLeak(subjects, problems)) {
            return;
        }
        if (forwardingProbe.isZero()) {
            return;
        }
        AtomicReference<String> seen = new AtomicReference<>();
        Dispatcher d = target.createDispatcher(m -> seen.compareAndSet(null, m.getSubject()));
        try {
            subjects.forEach(d::subscribe);
            target.flush(Duration.ofSeconds(2));
            long deadline = System.nanoTime() + forwardingProbe.toNanos();
            while (seen.get() == null && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } finally {
            target.closeDispatcher(d);
        }
        if (seen.get() != null) {
            problems.add("Messages published on the old system reach the new one through the leaf (seen on "
                    + seen.get() + "): add deny_imports and deny_exports for " + String.join(", ", subjects)
                    + " to the leaf's remote to the new system, or every message is stored twice once the new"
                    + " stream takes over the subjects");
        }
    }

    /**
     * Servers forward only what someone downstream is interested in, so the check subscribes on the target to the
     * subjects (as the new stream will) and traces until the interest has spread or the probe time is over.
     */
    private boolean tracedLeak(List<String> subjects, List<String> problems) throws Exception {
        if (!ServerFeature.MESSAGE_TRACE.isSupportedBy(source)) {
            return false;
        }
        Dispatcher interest = target.createDispatcher(m -> { });
        try {
            subjects.forEach(interest::subscribe);
            target.flush(Duration.ofSeconds(2));
            long deadline = System.nanoTime() + TRACE_WINDOW.toNanos();
            do {
                for (String filter : subjects) {
                    TracedRoute route = RouteTrace.on(source).alsoListenOn(target).timeout(Duration.ofSeconds(1))
                            .trace(Subjects.sampleOf(filter));
                    if (route.reaches(target)) {
                        problems.add(tracedLeakProblem(route, subjects));
                        return true;
                    }
                }
                Thread.sleep(100); // interest spreads over the leaf connections asynchronously
            } while (System.nanoTime() < deadline);
            return false;
        } finally {
            target.closeDispatcher(interest);
        }
    }

    private String tracedLeakProblem(TracedRoute route, List<String> subjects) {
        return "A trace-only message on " + route.subject() + " published on the old system reaches the new one"
                + " through the leaf: add deny_imports and deny_exports for " + String.join(", ", subjects)
                + " to the leaf's remote to the new system, or every message is stored twice once the new stream"
                + " takes over the subjects. Path: " + route;
    }

    private static StreamConfiguration stream(JetStreamManagement jsm, String name) throws Exception {
        try {
            return jsm.getStreamInfo(name).getConfiguration();
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == JetStreamErrorCodes.STREAM_NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }
}
