package io.natsmigrate.core;

import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.primitives.Subjects;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The common case as one builder: move a NATS Core subject onto JetStream (the run-completion-events walkthrough).
 * A stream over the Core subject(s) with limits, a durable consumer per application, and the phases
 *
 * <ol>
 *   <li>{@value #PROVISION}: stream and consumers (created, updated or adopted);</li>
 *   <li>{@value #DUAL_PUBLISH}: publishers write to Core and JetStream; first a trace-only message on each of the
 *   stream's subjects must be stored by the stream and by no other ({@link Gates#storedOnlyIn}, on nats-server
 *   2.11+; see {@link #routeCheck});</li>
 *   <li>{@value #SHADOW}: new consumers run beside the old subscribers; waits on the parity gate if given;</li>
 *   <li>{@value #CUTOVER}: consumers switch to JetStream;</li>
 *   <li>{@value #JETSTREAM_ONLY}: publishers stop the Core path;</li>
 *   <li>{@value #DECOMMISSION}: the legacy path is removed (irreversible, needs confirmation).</li>
 * </ol>
 *
 * Every phase before {@value #DECOMMISSION} can be rolled back. The phase names are what the dual publisher maps
 * to its modes.
 *
 * <pre>{@code
 * MigrationPlan plan = CoreToJetStreamRecipe.named("run-completion")
 *         .stream(StreamConfiguration.builder().name("run-completion-events").subjects("events")
 *                 .maxAge(Duration.ofHours(1)).maxMessages(1000).maxBytes(10 * 1024 * 1024).build())
 *         .consumer(ConsumerConfiguration.builder().durable("my-app-consumer-v1").build())
 *         .parityGate(verifier.gate(0.999, 1000))
 *         .build();
 * }</pre>
 */
public final class CoreToJetStreamRecipe {

    public static final String PROVISION = "provision";
    public static final String DUAL_PUBLISH = "dual-publish";
    public static final String SHADOW = "shadow";
    public static final String CUTOVER = "cutover";
    public static final String JETSTREAM_ONLY = "jetstream-only";
    public static final String DECOMMISSION = "decommission";
    /** The decommission step's name, for {@code ApplyOptions.confirmIrreversible}. */
    public static final String DECOMMISSION_STEP = "decommission legacy path";
    private static final Duration ROUTE_CHECK_TIMEOUT = Duration.ofSeconds(10);

    private final String name;
    private StreamConfiguration stream;
    private final List<ConsumerConfiguration> consumers = new ArrayList<>();
    private final List<Gate> shadowGates = new ArrayList<>();
    private final List<Gate> cutoverGates = new ArrayList<>();
    private Steps.Action decommission = Steps.Action.NONE;
    private boolean routeCheck = true;

    private CoreToJetStreamRecipe(String name) {
        this.name = name;
    }

    /** Starts the recipe for a plan called {@code name}. */
    public static CoreToJetStreamRecipe named(String name) {
        return new CoreToJetStreamRecipe(Objects.requireNonNull(name, "name"));
    }

    /**
     * The stream over the Core subject(s). It needs at least one limit (max age, messages or bytes): during the
     * overlap nobody may consume it yet, and without limits it grows without bound.
     */
    public CoreToJetStreamRecipe stream(StreamConfiguration config) {
        this.stream = Objects.requireNonNull(config, "config");
        return this;
    }

    /** A durable consumer for one application (add one per application). */
    public CoreToJetStreamRecipe consumer(ConsumerConfiguration config) {
        consumers.add(Objects.requireNonNull(config, "config"));
        return this;
    }

    /** A gate the shadow phase waits on, e.g. the dual publisher's parity verifier. */
    public CoreToJetStreamRecipe parityGate(Gate gate) {
        shadowGates.add(Objects.requireNonNull(gate, "gate"));
        return this;
    }

    /**
     * Whether the dual-publish phase first proves by message tracing that each of the stream's subjects reaches the
     * stream and no other stream (default true). A second stream on the same messages (another account's import, a
     * leaf node's domain) would store every message twice. On servers older than 2.11 the check passes with a note,
     * as there is nothing to trace with. Turn it off only where the connection's user may not publish on the
     * subjects.
     */
    public CoreToJetStreamRecipe routeCheck(boolean check) {
        this.routeCheck = check;
        return this;
    }

    /** A gate the cutover phase waits on, e.g. the legacy consumers drained. */
    public CoreToJetStreamRecipe cutoverGate(Gate gate) {
        cutoverGates.add(Objects.requireNonNull(gate, "gate"));
        return this;
    }

    /** What decommissioning the legacy path does (default: only records it). Irreversible. */
    public CoreToJetStreamRecipe decommission(Steps.Action action) {
        this.decommission = Objects.requireNonNull(action, "action");
        return this;
    }

    /**
     * Builds the plan.
     *
     * @throws InvalidPlanException when the stream is missing or has no limit, or no consumer is given
     */
    public MigrationPlan build() {
        if (stream == null) {
            throw new InvalidPlanException("recipe " + name, "no stream: call stream(StreamConfiguration)");
        }
        if (stream.getMaxAge().isZero() && stream.getMaxMsgs() <= 0 && stream.getMaxBytes() <= 0) {
            throw new InvalidPlanException("stream " + stream.getName(), "it has no limit; set maxAge, maxMessages or"
                    + " maxBytes so it cannot grow without bound while nobody consumes it yet");
        }
        if (consumers.isEmpty()) {
            throw new InvalidPlanException("recipe " + name, "no consumer: add one durable consumer per application");
        }
        return OverlapPhases.addTo(MigrationPlan.named(name), "Core", p -> {
            p.step(Steps.stream(stream));
            consumers.forEach(c -> p.step(Steps.consumer(stream.getName(), c)));
        }, routeCheck ? routeGates() : List.of(), shadowGates, cutoverGates, decommission).build();
    }

    private List<Gate> routeGates() {
        List<String> subjects = stream.getSubjects().isEmpty() ? List.of(stream.getName())
                : stream.getSubjects();
        List<Gate> gates = new ArrayList<>();
        for (String filter : subjects) {
            gates.add(Gates.storedOnlyInWhereTraceable(Subjects.sampleOf(filter), stream.getName(),
                    ROUTE_CHECK_TIMEOUT));
        }
        return gates;
    }
}
