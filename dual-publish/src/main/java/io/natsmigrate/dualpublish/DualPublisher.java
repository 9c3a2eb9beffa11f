package io.natsmigrate.dualpublish;

import io.nats.client.Connection;
import io.nats.client.impl.Headers;
import io.natsmigrate.core.PlanPhaseWatch;
import io.natsmigrate.primitives.Subjects;
import io.natsmigrate.reliable.MsgIdStrategy;
import io.natsmigrate.reliable.ReliablePublishException;
import io.natsmigrate.reliable.ReliablePublisher;
import io.natsmigrate.reliable.RetryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Publishes to the legacy path and to JetStream during the overlap, in the mode the migration is in.
 *
 * <pre>{@code
 * try (DualPublisher publisher = DualPublisher.builder()
 *         .legacy(LegacyLeg.nats(oldNc))          // or a lambda around a RabbitMQ/Kafka producer
 *         .jetStream(newNc, "run-completion-events")
 *         .followPlan(newNc, "run-completion")     // mode follows the plan's phase, no redeploy
 *         .build()) {
 *     publisher.publish("events", payload);        // legacy as before; JetStream leg never blocks it
 * }
 * }</pre>
 *
 * <ul>
 *   <li>Every message gets one {@code Nats-Msg-Id}, on both legs, so the stream stores it once and the parity
 *       verifier can correlate the two paths.</li>
 *   <li>The legacy leg runs on the caller's thread; its exceptions reach the caller as before the migration.</li>
 *   <li>In {@link PublishMode#DUAL} the JetStream leg is asynchronous: a healthy JetStream paces the caller
 *       through the in-flight window, an outage blocks it at most {@code maxBlock} once. The reliable
 *       publisher retries within its {@link RetryPolicy}; what still fails (or finds the window saturated) is
 *       reported to the listener and kept for {@link #replay(Duration)}. In {@link PublishMode#JETSTREAM_ONLY} the
 *       window applies full backpressure instead.</li>
 *   <li>When the stream listens to the legacy subject itself (same system), one publish serves both paths; see
 *       {@link SameSubjectStrategy}.</li>
 * </ul>
 */
public final class DualPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DualPublisher.class);

    private final LegacyLeg legacy;
    private final String stream;
    private final UnaryOperator<String> subjectMapping;
    private final SameSubjectStrategy sameSubjectStrategy;
    private final MsgIdStrategy msgIds;
    private final List<DualPublishListener> listeners;
    private final JetStreamLeg jetStreamLeg;
    private final StreamCoverage coverage;
    private final boolean sameSystem;
    private volatile PublishMode mode;
    /** Notified whenever the mode changes ({@link #awaitMode}). */
    private final Object modeChanged = new Object();
    private volatile boolean closed;
    private PlanPhaseWatch planWatch;

    private DualPublisher(Builder b) {
        this.legacy = b.legacy;
        Connection jsNc = b.jsNc;
        this.stream = b.stream;
        this.subjectMapping = b.subjectMapping;
        this.sameSubjectStrategy = b.sameSubjectStrategy;
        this.msgIds = b.msgIds;
        this.listeners = List.copyOf(b.listeners);
        this.sameSystem = b.sameSystem != null ? b.sameSystem
                : legacy.connection().map(c -> StreamCoverage.sameSystem(c, jsNc)).orElse(false);
        this.mode = b.mode;
        this.coverage = new StreamCoverage(jsNc, stream);
        // No expected-stream header: the stream may not exist yet while the mode is still legacy-only.
        this.jetStreamLeg = new JetStreamLeg(ReliablePublisher.builder(jsNc).retryPolicy(b.retryPolicy)
                .maxInFlight(b.maxInFlight).build(), listeners, b.undeliveredCapacity, b.maxBlock);
    }

    /** Starts configuring a dual publisher. */
    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------------------------------ publish

    /** Publishes {@code data} on {@code subject} in the current mode. */
    public DualPublishResult publish(String subject, byte[] data) throws Exception {
        return publish(subject, null, data);
    }

    /**
     * Publishes in the current mode.
     *
     * @return the Msg-Id, the mode used, and the JetStream leg's future when there is one
     * @throws Exception whatever the legacy leg throws, unchanged
     * @throws io.natsmigrate.primitives.InvalidSubjectException for an invalid legacy or mapped subject
     * @throws StreamNotCoveringSubjectException when the stream does not store the mapped subject (checked
     *                                           before anything is sent, in modes that use JetStream)
     */
    public DualPublishResult publish(String subject, Headers headers, byte[] data) throws Exception {
        if (closed) {
            throw new DualPublishException("The dual publisher is closed; build a new one");
        }
        Subjects.requirePublishSubject(subject);
        byte[] body = data == null ? new byte[0] : data;
        PublishMode m = mode;
        String jsSubject = subjectMapping.apply(subject);
        if (m != PublishMode.LEGACY_ONLY) {
            Subjects.requirePublishSubject(jsSubject);
            coverage.requireCovered(jsSubject);
        }
        Headers h = headers == null ? new Headers() : new Headers(headers);
        String msgId = msgIds.assignTo(subject, h, body);
        switch (m) {
            case LEGACY_ONLY -> {
                legacy.publish(subject, h, body, msgId);
                return new DualPublishResult(msgId, m, null);
            }
            case DUAL -> {
                if (jsSubject.equals(subject) && sameSystem && coverage.listensTo(subject)) {
                    if (sameSubjectStrategy == SameSubjectStrategy.CORE_PUBLISH_WITH_MSG_ID) {
                        legacy.publish(subject, h, body, msgId); // the stream stores this very message
                        return new DualPublishResult(msgId, m, null);
                    }
                    // One JetStream publish reaches the Core subscribers of the subject too; it is the legacy path
                    // now, so it gets full backpressure rather than being set aside when JetStream is slow.
                    return new DualPublishResult(msgId, m, jetStreamLeg.publish(jsSubject, h, body, msgId, true));
                }
                legacy.publish(subject, h, body, msgId);
                return new DualPublishResult(msgId, m, jetStreamLeg.publish(jsSubject, h, body, msgId, false));
            }
            default -> {
                return new DualPublishResult(msgId, m, jetStreamLeg.publish(jsSubject, h, body, msgId, true));
            }
        }
    }

    // ------------------------------------------------------------------------------------------ mode

    /** The current mode. */
    public PublishMode mode() {
        return mode;
    }

    /**
     * Waits until the publisher uses {@code wanted} (set in code, or reached by following the plan): after
     * {@code runner.applyTo(phase)}, a service that must not go on before its publishers switched waits here.
     *
     * @return true when the mode was reached in time, false when {@code timeout} passed first
     */
    public boolean awaitMode(PublishMode wanted, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(wanted, "wanted");
        Objects.requireNonNull(timeout, "timeout");
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (modeChanged) {
            while (mode != wanted) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                modeChanged.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
        return true;
    }

    /**
     * Switches the mode at once (also while publishing). Switching to a mode that uses JetStream first checks
     * that the stream exists.
     *
     * @throws StreamNotCoveringSubjectException when the stream is missing
     */
    public void setMode(PublishMode newMode) {
        Objects.requireNonNull(newMode, "mode");
        switchMode(newMode, "set in code");
    }

    private synchronized void switchMode(PublishMode newMode, String reason) {
        PublishMode old = mode;
        if (old == newMode) {
            return;
        }
        if (newMode != PublishMode.LEGACY_ONLY) {
            coverage.refresh();
        }
        mode = newMode;
        synchronized (modeChanged) {
            modeChanged.notifyAll();
        }
        LOG.info("Dual publisher for stream {}: {} -> {} ({})", stream, old, newMode, reason);
        listeners.forEach(l -> l.modeChanged(old, newMode, reason));
    }

    private void followPhase(String phase, Function<String, PublishMode> mapping) {
        PublishMode wanted = mapping.apply(phase);
        if (wanted == null) {
            return;
        }
        try {
            switchMode(wanted, "plan phase " + phase);
        } catch (RuntimeException e) {
            LOG.error("Plan moved to phase {} but the dual publisher cannot switch to {}: {}", phase, wanted,
                    e.getMessage());
            listeners.forEach(l -> l.modeChangeRefused(mode, wanted, e));
        }
    }

    // ------------------------------------------------------------------------------------------ replay, close

    /** Messages the JetStream leg could not store, oldest first. */
    public List<UndeliveredMessage> undelivered() {
        return jetStreamLeg.undelivered();
    }

    /**
     * Re-publishes every kept message to JetStream with its original Msg-Id (a message that did land after all is
     * deduplicated by the stream within its duplicate window) and waits for the outcome.
     *
     * @return how many were stored now; those failing again stay kept (also when interrupted)
     */
    public int replay(Duration timeout) throws InterruptedException {
        return jetStreamLeg.replay(timeout);
    }

    /** Waits until every message handed to the JetStream leg is stored or kept for replay. */
    public boolean flush(Duration timeout) throws InterruptedException {
        return jetStreamLeg.flush(timeout);
    }

    /**
     * Stops following the plan and waits for the JetStream leg's acks (the reliable publisher's close
     * timeout). Does not close the connections.
     *
     * @throws UndeliveredMessagesException when messages are still kept for replay: persist them from the
     *                                      exception, they are not stored anywhere else
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (planWatch != null) {
            planWatch.close();
        }
        closed = true;
        try {
            flush(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        jetStreamLeg.close();
        List<UndeliveredMessage> left = undelivered();
        if (!left.isEmpty()) {
            throw new UndeliveredMessagesException(left);
        }
    }

    /**
     * Configures a {@link DualPublisher}. Required: {@link #legacy}, {@link #jetStream}. Defaults: mode
     * {@link PublishMode#LEGACY_ONLY}, identity subject mapping, {@link SameSubjectStrategy#JETSTREAM_PUBLISH},
     * NUID Msg-Ids, a retry bound of 30 s, at most 1 s of waiting for JetStream in dual mode, a replay store of 100,000.
     */
    public static final class Builder {
        private LegacyLeg legacy;
        private Connection jsNc;
        private String stream;
        private UnaryOperator<String> subjectMapping = UnaryOperator.identity();
        private SameSubjectStrategy sameSubjectStrategy = SameSubjectStrategy.JETSTREAM_PUBLISH;
        private MsgIdStrategy msgIds = MsgIdStrategy.nuid();
        private RetryPolicy retryPolicy = RetryPolicy.builder().deadline(Duration.ofSeconds(30)).build();
        private int maxInFlight = 1000;
        private int undeliveredCapacity = 100_000;
        private Duration maxBlock = Duration.ofSeconds(1);
        private PublishMode mode = PublishMode.LEGACY_ONLY;
        private Boolean sameSystem;
        private final List<DualPublishListener> listeners = new ArrayList<>();
        private Connection planNc;
        private String plan;
        private String planBucket;
        private Function<String, PublishMode> phaseMapping = RecipePhases::mode;

        private Builder() {
        }

        /** The legacy path. */
        public Builder legacy(LegacyLeg leg) {
            this.legacy = Objects.requireNonNull(leg, "leg");
            return this;
        }

        /** The JetStream path: the connection (new system, account or domain) and the target stream. */
        public Builder jetStream(Connection nc, String stream) {
            this.jsNc = Objects.requireNonNull(nc, "connection");
            this.stream = Objects.requireNonNull(stream, "stream");
            return this;
        }

        /** Maps a legacy subject to its JetStream subject (default: the same subject). */
        public Builder subjectMapping(UnaryOperator<String> mapping) {
            this.subjectMapping = Objects.requireNonNull(mapping, "mapping");
            return this;
        }

        public Builder sameSubjectStrategy(SameSubjectStrategy strategy) {
            this.sameSubjectStrategy = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        /**
         * Overrides the detection of whether both legs reach the same NATS system (same connection, server or
         * cluster). Say {@code true} when the systems are bridged (e.g. by a leaf node) so a Core publish reaches
         * the stream.
         */
        public Builder sameSystem(boolean same) {
            this.sameSystem = same;
            return this;
        }

        public Builder msgIdStrategy(MsgIdStrategy strategy) {
            this.msgIds = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        /** The JetStream leg's retry bound; past it a message is reported and kept for replay. */
        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        public Builder maxInFlight(int max) {
            this.maxInFlight = max;
            return this;
        }

        /**
         * In dual mode, the longest a publish waits for a slot in the JetStream in-flight window (default 1 s): the bound a
         * JetStream outage can add to the legacy path.
         */
        public Builder maxBlock(Duration maxBlock) {
            Objects.requireNonNull(maxBlock, "maxBlock");
            if (maxBlock.isNegative()) {
                throw new IllegalArgumentException("maxBlock must not be negative, was " + maxBlock);
            }
            this.maxBlock = maxBlock;
            return this;
        }

        /** Messages kept for replay; past it they go to {@link DualPublishListener#undeliveredOverflow}. */
        public Builder undeliveredCapacity(int capacity) {
            if (capacity < 0) {
                throw new IllegalArgumentException("undeliveredCapacity must not be negative, was " + capacity);
            }
            this.undeliveredCapacity = capacity;
            return this;
        }

        /** The initial mode (default {@link PublishMode#LEGACY_ONLY}). */
        public Builder mode(PublishMode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        public Builder listener(DualPublishListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Follows the recorded phase of {@code plan} (default bucket) with the Core → JetStream recipe's mapping:
         * before {@code dual-publish} legacy only; {@code dual-publish}, {@code shadow}, {@code cutover} dual;
         * {@code jetstream-only}, {@code decommission} JetStream only.
         */
        public Builder followPlan(Connection nc, String plan) {
            return followPlan(nc, plan, RecipePhases::mode);
        }

        /** Follows {@code plan} with a mapping of phase (null: before the first) to mode (null: keep the mode). */
        public Builder followPlan(Connection nc, String plan, Function<String, PublishMode> phaseToMode) {
            this.planNc = Objects.requireNonNull(nc, "connection");
            this.plan = Objects.requireNonNull(plan, "plan");
            this.phaseMapping = Objects.requireNonNull(phaseToMode, "phaseToMode");
            return this;
        }

        /** The KV bucket of the plan's state, when not the default. */
        public Builder planBucket(String bucket) {
            this.planBucket = Objects.requireNonNull(bucket, "bucket");
            return this;
        }

        /**
         * Builds and starts the publisher.
         *
         * @throws DualPublishException for a missing leg, a closed connection
         * @throws StreamNotCoveringSubjectException when the initial mode uses JetStream and the stream is missing
         */
        public DualPublisher build() {
            if (legacy == null) {
                throw new DualPublishException("No legacy leg: call legacy(LegacyLeg.nats(nc)) or pass a lambda");
            }
            if (jsNc == null) {
                throw new DualPublishException("No JetStream leg: call jetStream(connection, stream)");
            }
            for (Connection c : new Connection[]{jsNc, legacy.connection().orElse(null), planNc}) {
                if (c != null && c.getStatus() == Connection.Status.CLOSED) {
                    throw new DualPublishException("A connection given to the dual publisher is closed; connect first");
                }
            }
            DualPublisher p;
            try {
                p = new DualPublisher(this);
            } catch (ReliablePublishException e) {
                throw new DualPublishException("The JetStream leg cannot start: " + e.getMessage(), e);
            }
            try {
                if (mode != PublishMode.LEGACY_ONLY) {
                    p.coverage.refresh();
                }
                if (plan != null) {
                    Function<String, PublishMode> mapping = phaseMapping;
                    p.planWatch = planBucket == null ? PlanPhaseWatch.watch(planNc, plan, ph -> p.followPhase(ph, mapping))
                            : PlanPhaseWatch.watch(planNc, planBucket, plan, ph -> p.followPhase(ph, mapping));
                }
                return p;
            } catch (RuntimeException e) {
                p.closed = true;
                p.jetStreamLeg.close();
                throw e;
            }
        }
    }
}
