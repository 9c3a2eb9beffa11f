package io.natsmigrate.core;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.api.External;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.Source;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.natsmigrate.primitives.Durations;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Moves streams and their durable consumers from one NATS system to another through a leaf node that runs its
 * own JetStream domain (the cross-system walkthrough), without changing the old system's domain: a domain change
 * would break every client's JetStream context and existing sourcing there.
 *
 * <ol>
 *   <li>{@value #BRIDGE}: cross-system preflight ({@link #preflight()}), then a clone of each stream on the leaf,
 *       with the old stream's subjects and <em>limits</em> retention: it captures every message published on the
 *       old system from now on, and an interest or work-queue clone would hand nothing to the target (an
 *       interest stream with no consumer keeps nothing; a work-queue one is drained by the sourcing).</li>
 *   <li>{@value #TARGET}: the leak check again, now that the clones capture (the leaf forwards only subjects it
 *       is interested in itself), then each stream on the target, with no subjects, sourcing the leaf clone through
 *       {@code $JS.<domain>.API}; waits until the sources have caught up (lag 0). Interest streams start with
 *       limits retention so nothing is dropped before their consumers exist.</li>
 *   <li>{@value #CONSUMERS}: each durable consumer moves with its position (see below); interest streams then take
 *       their interest retention.</li>
 *   <li>{@value #PUBLISHERS}: the target streams take over the subjects; move the publishers now.</li>
 *   <li>{@value #BRIDGE_REMOVED}: once the bridge is quiet (nothing captured for the quiet period, lag 0), the
 *       sources and leaf clones are removed and the paused old consumers deleted. Irreversible: confirm
 *       {@value #REMOVE_BRIDGE_STEP}.</li>
 * </ol>
 *
 * <p><b>Consumer positions.</b> The walkthrough leaves this open: consumers on the new system reprocess what
 * they had already acknowledged on the old one. Here each old consumer is paused and its in-flight messages are
 * allowed to finish; the new consumer then starts at the lowest new-stream sequence of any message the old one has
 * not processed. With several publishers per subject the two systems store concurrent messages in slightly
 * different orders (about 0.2% of adjacent pairs with four publishers per subject, measured on one machine), so
 * this lowest sequence is not always that of the first unprocessed message in the old order: nothing is behind the
 * start, as long as orders differ by fewer than {@link #reorderHorizon(int)} positions and
 * {@link #reorderWindow(Duration)} in time. Already processed messages at or after the start are recorded in
 * {@link #processedBucket(String, String)}: a service that skips what that bucket holds processes nothing twice.
 * Move a service once its consumer has moved (the step fails with {@link ConsumerPositionException}, and resumes
 * the old consumer, while the service has not yet processed what was published before the bridge started). The
 * step's outcome is a {@link ConsumerMove}.
 *
 * <p><b>Leaf configuration.</b> The leaf's remote to the target must deny the migrated subjects both ways
 * ({@code deny_imports} and {@code deny_exports}). Otherwise nats-server forwards the old system's messages to
 * the target and the target's back into the clone, and once the target owns the subjects each message is stored
 * twice (sourced copies are not deduplicated by {@code Nats-Msg-Id}; checked on nats-server 2.15.1).
 *
 * <pre>{@code
 * MigrationPlan plan = CrossSystemRecipe.named("queue-to-cloud")
 *         .source(oldSystem).target(newSystem).leafDomain("leaf")
 *         .stream("QUEUE", "ORDERS", "SHIPMENTS")
 *         .build();
 * try (MigrationRunner runner = plan.runner(newSystem).build()) {
 *     runner.applyTo(CrossSystemRecipe.TARGET);
 *     // stop each service's old instance as its consumer moves, start it on the new system
 *     runner.applyTo(CrossSystemRecipe.CONSUMERS);
 *     runner.applyTo(CrossSystemRecipe.PUBLISHERS);
 *     // move the publishers
 *     runner.applyTo(CrossSystemRecipe.BRIDGE_REMOVED, ApplyOptions.builder().confirmAllIrreversible().build());
 * }
 * }</pre>
 *
 * Run the plan with a runner on the target connection: its state must outlive the bridge.
 */
public final class CrossSystemRecipe {

    public static final String BRIDGE = "bridge";
    public static final String TARGET = "target";
    public static final String CONSUMERS = "consumers";
    public static final String PUBLISHERS = "publishers";
    public static final String BRIDGE_REMOVED = "bridge-removed";
    /** The first step of {@value #TARGET}: the old system's traffic must not reach the target through the leaf. */
    public static final String NO_LEAK_STEP = "no traffic leaks through the leaf";
    /** The irreversible bridge removal step, for {@code ApplyOptions.confirmIrreversible}. */
    public static final String REMOVE_BRIDGE_STEP = "remove bridge";
    /** The irreversible deletion of the paused old consumers, for {@code ApplyOptions.confirmIrreversible}. */
    public static final String DELETE_OLD_CONSUMERS_STEP = "delete old consumers";

    private final String name;
    private Connection source;
    private Connection target;
    private String leafDomain;
    private final Map<String, List<String>> streams = new LinkedHashMap<>();
    private Duration timeout = Duration.ofSeconds(30);
    private Duration quietPeriod = Duration.ofSeconds(2);
    private Duration forwardingProbe = Duration.ofSeconds(1);
    private Duration bridgeMaxAge = Duration.ofHours(24);
    private int reorderHorizon = 1_000;
    private Duration reorderWindow = Duration.ofSeconds(1);
    private Duration processedTtl = Duration.ofHours(24);

    private CrossSystemRecipe(String name) {
        this.name = name;
    }

    /** The name of the step that moves {@code stream}/{@code consumer} (its result is a {@link ConsumerMove}). */
    public static String moveConsumerStep(String stream, String consumer) {
        return "move consumer " + stream + "/" + consumer;
    }

    /**
     * The KV bucket on the new system in which the move of {@code stream}/{@code consumer} records the Msg-Ids of
     * messages the old consumer had already processed but the new one will deliver again (where the two systems
     * stored concurrent messages in different orders). Open an idempotency store on it for the moved service
     * (consumer-patterns: {@code IdempotencyStore.open(nc, processedBucket(s, c), ttl)}) and nothing is processed
     * twice. Characters a bucket name may not hold become {@code _}.
     */
    public static String processedBucket(String stream, String consumer) {
        return "moved_" + bucketSafe(Names.requireStreamName("stream", stream)) + "_"
                + bucketSafe(Names.requireStreamName("consumer", consumer));
    }

    private static String bucketSafe(String name) {
        return name.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    /** Starts the recipe for a plan called {@code name}. */
    public static CrossSystemRecipe named(String name) {
        return new CrossSystemRecipe(Names.requireToken("plan name", name));
    }

    /** The old (self-managed) system, which the leaf node connects to. */
    public CrossSystemRecipe source(Connection source) {
        this.source = Objects.requireNonNull(source, "source");
        return this;
    }

    /** The new system, which the leaf node also connects to; the plan's runner should use it too. */
    public CrossSystemRecipe target(Connection target) {
        this.target = Objects.requireNonNull(target, "target");
        return this;
    }

    /** The leaf node's JetStream domain ({@code jetstream { domain: ... }} in its config). */
    public CrossSystemRecipe leafDomain(String domain) {
        this.leafDomain = Names.requireToken("leaf domain", domain);
        return this;
    }

    /** A stream to move (same name on the leaf and the target) and the durable consumers to move with it. */
    public CrossSystemRecipe stream(String stream, String... consumers) {
        Names.requireStreamName("stream", stream);
        Objects.requireNonNull(consumers, "consumers");
        for (String c : consumers) {
            Names.requireStreamName("consumer", c);
        }
        streams.put(stream, List.of(consumers));
        return this;
    }

    /** How long gates and consumer moves may wait (default 30 s). */
    public CrossSystemRecipe timeout(Duration timeout) {
        this.timeout = Durations.requirePositive("timeout", timeout);
        return this;
    }

    /** How long the bridge must capture nothing before it is removed (default 2 s). */
    public CrossSystemRecipe quietPeriod(Duration quietPeriod) {
        this.quietPeriod = Durations.requirePositive("quietPeriod", quietPeriod);
        return this;
    }

    /**
     * How long preflight listens on the target for the old system's messages leaking through the leaf (default
     * 1 s; {@code Duration.ZERO} skips the check). It can only see a leak while something is being published.
     */
    public CrossSystemRecipe forwardingProbe(Duration probe) {
        Objects.requireNonNull(probe, "probe");
        if (probe.isNegative()) {
            throw new IllegalArgumentException("forwardingProbe must not be negative, was " + probe);
        }
        this.forwardingProbe = probe;
        return this;
    }

    /** Max age of a leaf clone whose old stream has no limit of its own (default 24 h). */
    public CrossSystemRecipe bridgeMaxAge(Duration maxAge) {
        this.bridgeMaxAge = Durations.requirePositive("bridgeMaxAge", maxAge);
        return this;
    }

    /**
     * How many of a consumer's unprocessed messages a move looks up on the new stream to find the start (default
     * 1,000). The old and the new system store concurrent publishes in slightly different orders; a message
     * displaced by half this many positions or more could end up behind the start. Raising it costs one read per
     * message.
     */
    public CrossSystemRecipe reorderHorizon(int messages) {
        if (messages < 1) {
            throw new IllegalArgumentException("reorderHorizon must be at least 1, was " + messages);
        }
        this.reorderHorizon = messages;
        return this;
    }

    /**
     * How far apart in time the two systems may store the same message (default 1 s): a move waits this long
     * after reading the new stream's end before it reads the old consumer's unprocessed messages, so that none of
     * them is on the new side yet invisible on the old. Each consumer move takes at least this long. Raise it for
     * clusters that are far apart.
     */
    public CrossSystemRecipe reorderWindow(Duration window) {
        this.reorderWindow = Durations.requirePositive("reorderWindow", window);
        return this;
    }

    /**
     * How long the records of {@link #processedBucket(String, String)} are kept (default 24 h): at least until each
     * moved service has processed the messages around its start.
     */
    public CrossSystemRecipe processedTtl(Duration ttl) {
        this.processedTtl = Durations.requirePositive("processedTtl", ttl);
        return this;
    }

    /**
     * Checks, without changing anything, that the migration can run: JetStream on both systems, the leaf's
     * domain answering from both and not clashing with theirs, each stream present with subjects to capture and
     * each consumer present, an existing leaf clone with limits retention, no target stream on overlapping
     * subjects, the old system's messages not leaking to the target. Also the first step of {@value #BRIDGE}.
     *
     * @throws PreflightException listing every problem with its fix
     */
    public void preflight() {
        requireComplete();
        new CrossSystemPreflight(name, source, target, leafDomain, streams, forwardingProbe).run();
    }

    /**
     * Builds the plan.
     *
     * @throws InvalidPlanException when a connection, the domain or the streams are missing, or a name is invalid
     */
    public MigrationPlan build() {
        requireComplete();
        JetStreamOptions leaf = JetStreamOptions.builder().domain(leafDomain).build();
        String leafSystem = "leaf domain " + leafDomain;
        CrossSystemPreflight preflight = new CrossSystemPreflight(name, source, target, leafDomain, streams,
                forwardingProbe);
        MoveConsumerStep.Settings moves = new MoveConsumerStep.Settings(timeout, reorderHorizon, reorderWindow,
                processedTtl);
        return MigrationPlan.named(name)
                .phase(BRIDGE, p -> {
                    p.step(onBothSystems("cross-system preflight", ctx -> preflight.run(), ctx -> { }));
                    streams.keySet().forEach(s -> p.step(Steps.onSystem(leafSystem, source, leaf,
                            new LazyStreamStep("clone of stream " + s, () -> cloneConfig(s)))));
                })
                .phase(TARGET, p -> {
                    // Only now, with the clones capturing, would a missing deny rule show as forwarded traffic.
                    p.step(onBothSystems(NO_LEAK_STEP, ctx -> preflight.checkNoLeak(), ctx -> { }));
                    streams.keySet().forEach(s -> p.step(Steps.onSystem("target", target,
                            JetStreamOptions.DEFAULT_JS_OPTIONS, new LazyStreamStep("stream " + s + " sourcing the"
                                    + " bridge", () -> targetConfig(s, false, false)))));
                    // A step gate, not a phase gate: phase gates are preconditions, checked before the streams exist.
                    p.step(Steps.marker("target caught up with the bridge", bridgeCaughtUp()));
                })
                .phase(CONSUMERS, p -> streams.forEach((s, consumers) -> {
                    consumers.forEach(c -> p.step(new MoveConsumerStep(source, target, s, c, moves)));
                    p.step(Steps.onSystem("target", target, JetStreamOptions.DEFAULT_JS_OPTIONS,
                            new LazyStreamStep("stream " + s + " takes the old retention",
                                    () -> targetConfig(s, true, false))));
                }))
                .phase(PUBLISHERS, p -> streams.keySet().forEach(s -> p.step(Steps.onSystem("target", target,
                        JetStreamOptions.DEFAULT_JS_OPTIONS, new LazyStreamStep("stream " + s + " takes over the"
                                + " subjects", () -> targetConfig(s, true, true))))))
                .phase(BRIDGE_REMOVED, p -> {
                    p.gate(new BridgeQuietGate(source, target, leaf, List.copyOf(streams.keySet()), quietPeriod,
                            timeout));
                    p.step(onBothSystems(REMOVE_BRIDGE_STEP, ctx -> removeBridge(ctx, leaf), null));
                    p.step(onBothSystems(DELETE_OLD_CONSUMERS_STEP, this::deleteOldConsumers, null));
                })
                .build();
    }

    /** An action on both systems; a {@code null} undo makes it irreversible. */
    private Step onBothSystems(String name, ActionStep.Action apply, ActionStep.Action undo) {
        return new ActionStep(name, apply, undo, List.of(), List.of(source, target));
    }

    private void requireComplete() {
        if (source == null || target == null) {
            throw new InvalidPlanException("recipe " + name, "both systems are needed: call source(Connection) and"
                    + " target(Connection)");
        }
        if (leafDomain == null) {
            throw new InvalidPlanException("recipe " + name, "no leaf domain: call leafDomain(\"...\") with the"
                    + " domain from the leaf node's jetstream { domain: ... } block");
        }
        if (streams.isEmpty()) {
            throw new InvalidPlanException("recipe " + name, "no stream: call stream(\"NAME\", \"CONSUMER\", ...)");
        }
    }

    private StreamConfiguration sourceConfig(String stream) throws Exception {
        return source.jetStreamManagement().getStreamInfo(stream).getConfiguration();
    }

    /** The leaf clone: the old stream's subjects and limits, with limits retention. */
    StreamConfiguration cloneConfig(String stream) throws Exception {
        StreamConfiguration old = sourceConfig(stream);
        boolean unbounded = old.getMaxAge().isZero() && old.getMaxBytes() <= 0 && old.getMaxMsgs() <= 0;
        return StreamConfiguration.builder().name(stream).subjects(old.getSubjects())
                .retentionPolicy(RetentionPolicy.Limits).storageType(old.getStorageType())
                .maxAge(unbounded ? bridgeMaxAge : old.getMaxAge()).maxBytes(old.getMaxBytes())
                .maxMessages(old.getMaxMsgs()).maxMsgSize(old.getMaximumMessageSize())
                .duplicateWindow(old.getDuplicateWindow()).discardPolicy(old.getDiscardPolicy())
                .build();
    }

    /**
     * The target stream at each stage: sourcing the clone; with the old retention once consumers moved (interest
     * streams start with limits so messages are kept before their consumers exist); with the subjects once
     * publishers move.
     */
    StreamConfiguration targetConfig(String stream, boolean finalRetention, boolean withSubjects) throws Exception {
        StreamConfiguration old = sourceConfig(stream);
        RetentionPolicy retention = old.getRetentionPolicy() == RetentionPolicy.Interest && !finalRetention
                ? RetentionPolicy.Limits : old.getRetentionPolicy();
        StreamConfiguration.Builder b = StreamConfiguration.builder(old).sources(bridgeSource(stream))
                .retentionPolicy(retention).subjects(withSubjects ? old.getSubjects() : List.of())
                .mirror(null)
                // The old system's cluster names mean nothing on the new one.
                .placement(null)
                // A single-server target refuses replicas > 1 (10074); a clustered one keeps the old count.
                .replicas(target.getServerInfo().getCluster() == null ? 1 : old.getReplicas());
        return b.build();
    }

    private Source bridgeSource(String stream) {
        return Source.builder().name(stream)
                .external(External.builder().api("$JS." + leafDomain + ".API").build()).build();
    }

    private Gate bridgeCaughtUp() {
        return Gate.of("bridge caught up (target sources lag 0)", timeout, nc -> {
            JetStreamManagement jsm = target.jetStreamManagement();
            for (String s : streams.keySet()) {
                StreamInfo si = jsm.getStreamInfo(s);
                if (si.getSourceInfos().isEmpty() || si.getSourceInfos().get(0).getActive() == null) {
                    return GateResult.fail(s + ": source from the leaf not active yet");
                }
                long lag = si.getSourceInfos().get(0).getLag();
                if (lag > 0) {
                    return GateResult.fail(s + ": " + lag + " messages behind the leaf clone");
                }
            }
            return GateResult.pass("every target stream holds what its leaf clone captured");
        });
    }

    private void removeBridge(StepContext ctx, JetStreamOptions leaf) throws Exception {
        JetStreamManagement jsm = target.jetStreamManagement();
        StepContext onLeaf = ctx.on(source, source.jetStreamManagement(leaf));
        for (String s : streams.keySet()) {
            StreamConfiguration live = jsm.getStreamInfo(s).getConfiguration();
            if (!live.getSources().isEmpty()) {
                ctx.countWrite();
                jsm.updateStream(StreamConfiguration.builder(live).sources(new ArrayList<Source>()).build());
            }
            new DeleteStreamStep(s).apply(onLeaf);
        }
    }

    private void deleteOldConsumers(StepContext ctx) throws Exception {
        StepContext onSource = ctx.on(source, source.jetStreamManagement());
        for (var e : streams.entrySet()) {
            for (String c : e.getValue()) {
                new DeleteConsumerStep(e.getKey(), c).apply(onSource);
            }
        }
    }

}
