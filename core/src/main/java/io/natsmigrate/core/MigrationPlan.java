package io.natsmigrate.core;

import io.nats.client.Connection;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.primitives.InvalidSubjectException;
import io.natsmigrate.primitives.ServerFeature;
import io.natsmigrate.primitives.Subjects;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A named, ordered list of phases, each a list of idempotent steps: the migration as code. Immutable and
 * validated when built; run it with {@link #runner(Connection)}.
 *
 * <pre>{@code
 * MigrationPlan plan = MigrationPlan.named("orders-to-jetstream")
 *         .phase("provision", p -> p
 *                 .step(Steps.stream(StreamConfiguration.builder().name("ORDERS").subjects("orders.>").build()))
 *                 .step(Steps.consumer("ORDERS", ConsumerConfiguration.builder().durable("billing").build())))
 *         .phase("cutover", p -> p.gate(Gates.consumerDrained("LEGACY", "billing", Duration.ofMinutes(5)))
 *                 .step(Steps.marker("publishers on JetStream only")))
 *         .build();
 * try (MigrationRunner runner = plan.runner(nc).instanceId("orders-svc-1").build()) {
 *     runner.applyTo("cutover");
 * }
 * }</pre>
 */
public final class MigrationPlan {

    private final String name;
    private final List<Phase> phases;
    private final Set<String> existingStreams;
    private final Set<ServerFeature> requiredFeatures;

    private MigrationPlan(String name, List<Phase> phases, Set<String> existingStreams, Set<ServerFeature> features) {
        this.name = name;
        this.phases = List.copyOf(phases);
        this.existingStreams = Set.copyOf(existingStreams);
        this.requiredFeatures = Set.copyOf(features);
    }

    /** Starts a plan. Names are letters, digits, {@code _} and {@code -} (they key the recorded state). */
    public static Builder named(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    public List<Phase> phases() {
        return phases;
    }

    /** Index of a phase, or throws {@link IllegalArgumentException} naming the phases. */
    public int phaseIndex(String phase) {
        for (int i = 0; i < phases.size(); i++) {
            if (phases.get(i).name().equals(phase)) {
                return i;
            }
        }
        throw new IllegalArgumentException("Plan " + name + " has no phase \"" + phase + "\"; its phases are "
                + phases.stream().map(Phase::name).toList());
    }

    /** Streams the plan's consumers use that it does not create (checked by preflight). */
    public Set<String> existingStreams() {
        return existingStreams;
    }

    /** Server features the plan's steps need. */
    public Set<ServerFeature> requiredFeatures() {
        return requiredFeatures;
    }

    /** All steps in order. */
    public List<Step> steps() {
        return phases.stream().flatMap(p -> p.steps().stream()).toList();
    }

    /** Configures a runner for this plan on {@code nc}. */
    public MigrationRunner.Builder runner(Connection nc) {
        return MigrationRunner.builder(this, nc);
    }

    /** Builds and validates a {@link MigrationPlan}. */
    public static final class Builder {
        private final String name;
        private final List<Phase> phases = new ArrayList<>();
        private final Set<String> existingStreams = new LinkedHashSet<>();
        private final Set<ServerFeature> features = EnumSet.noneOf(ServerFeature.class);

        private Builder(String name) {
            this.name = Names.requireToken("plan name", name);
        }

        /** Adds a phase; {@code steps} adds its steps and gates in order. */
        public Builder phase(String phaseName, Consumer<Phase.Builder> steps) {
            Objects.requireNonNull(steps, "steps");
            Names.requireToken("phase", phaseName);
            Phase.Builder b = new Phase.Builder(phaseName);
            steps.accept(b);
            phases.add(b.build());
            return this;
        }

        /** Declares a stream the plan uses but does not create (for example the legacy stream). */
        public Builder existingStream(String stream) {
            existingStreams.add(Objects.requireNonNull(stream, "stream"));
            return this;
        }

        /** Declares a server feature the plan needs beyond what its steps declare. */
        public Builder requires(ServerFeature feature) {
            features.add(Objects.requireNonNull(feature, "feature"));
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws InvalidPlanException naming the offending element: no phases, duplicate phase or step names,
         *                              invalid stream names or subjects, streams with overlapping subjects,
         *                              consumers on streams the plan neither creates earlier nor declares
         */
        public MigrationPlan build() {
            if (phases.isEmpty()) {
                throw new InvalidPlanException("plan " + name, "it has no phase; add at least one with phase(...)");
            }
            Set<String> phaseNames = new HashSet<>();
            Set<String> stepNames = new HashSet<>();
            Map<String, StreamConfiguration> streams = new HashMap<>();
            for (Phase phase : phases) {
                if (!phaseNames.add(phase.name())) {
                    throw new InvalidPlanException("phase \"" + phase.name() + "\"", "the name is used twice");
                }
                for (Step step : phase.steps()) {
                    if (step.name() == null || step.name().isBlank()) {
                        throw new InvalidPlanException("a step in phase \"" + phase.name() + "\"", "it has no name");
                    }
                    if (!stepNames.add(step.name())) {
                        throw new InvalidPlanException("step \"" + step.name() + "\"", "the name is used twice;"
                                + " step names key the recorded state and must be unique");
                    }
                    features.addAll(step.requiredFeatures());
                    step.providesStream().ifPresent(s -> checkStream(s, streams));
                    step.needsStream().ifPresent(s -> {
                        if (!streams.containsKey(s) && !existingStreams.contains(s)) {
                            throw new InvalidPlanException("step \"" + step.name() + "\"", "its stream " + s
                                    + " is not created by an earlier step; add Steps.stream(...) for it before, or"
                                    + " declare an existing stream with existingStream(\"" + s + "\")");
                        }
                    });
                }
            }
            return new MigrationPlan(name, phases, existingStreams, features);
        }

        private static void checkStream(StreamConfiguration s, Map<String, StreamConfiguration> streams) {
            String stream = Names.requireStreamName("stream", s.getName());
            for (String subject : s.getSubjects()) {
                try {
                    Subjects.requireFilter(subject);
                } catch (InvalidSubjectException e) {
                    throw new InvalidPlanException("stream " + stream, e.getMessage());
                }
            }
            for (StreamConfiguration other : streams.values()) {
                for (String a : s.getSubjects()) {
                    for (String b : other.getSubjects()) {
                        if (Subjects.overlap(a, b)) {
                            throw new InvalidPlanException("stream " + stream, "its subject \"" + a + "\" overlaps"
                                    + " subject \"" + b + "\" of stream " + other.getName() + "; a message must"
                                    + " belong to one stream: make the subject filters disjoint");
                        }
                    }
                }
            }
            streams.put(stream, s);
        }
    }
}
