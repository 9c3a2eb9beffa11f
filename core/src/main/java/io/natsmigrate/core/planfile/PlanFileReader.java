package io.natsmigrate.core.planfile;

import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.core.CoreToJetStreamRecipe;
import io.natsmigrate.core.DurableSource;
import io.natsmigrate.core.Gate;
import io.natsmigrate.core.Gates;
import io.natsmigrate.core.InvalidPlanException;
import io.natsmigrate.core.MigrationPlan;
import io.natsmigrate.core.Names;
import io.natsmigrate.core.Step;
import io.natsmigrate.core.Steps;
import io.natsmigrate.core.rabbitmq.DefinitionsException;
import io.natsmigrate.core.rabbitmq.RabbitDefinitions;
import io.natsmigrate.core.rabbitmq.RabbitMqRecipe;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns a parsed plan file into a {@link MigrationPlan}: explicit phases or one of the built-in recipes. */
final class PlanFileReader {

    static final Set<String> STEP_KINDS = Set.of("stream", "consumer", "deleteStream", "deleteConsumer", "marker",
            "durableSource");
    static final Set<String> GATE_KINDS = Set.of("consumerDrained", "consumersKeepUp", "consumersAttached",
            "storedOnlyIn");
    static final Set<String> RECIPES = Set.of("coreToJetStream", "rabbitmq");
    /** Gates wait this long unless the file says otherwise (as {@link Gate#timeout()}). */
    static final Duration GATE_TIMEOUT = Duration.ofSeconds(30);

    private final PlanTree tree;
    /** Where relative paths in the file (RabbitMQ definitions) start. */
    private final Path baseDir;
    /** Where each step and phase was declared, to give a line to errors the plan's own validation finds. */
    private final Map<String, Element> declared = new LinkedHashMap<>();

    PlanFileReader(PlanTree tree, Path baseDir) {
        this.tree = tree;
        this.baseDir = baseDir;
    }

    MigrationPlan read() {
        Element root = Element.root(tree).onlyKeys("plan", "existingStreams", "phases", "recipe");
        String name = root.text("plan");
        try {
            Names.requireToken("plan name", name);
        } catch (RuntimeException e) {
            throw root.child("plan").fail(e.getMessage());
        }
        if (root.has("phases") == root.has("recipe")) {
            throw root.fail("a plan file has either \"phases\" or \"recipe\", not " + (root.has("phases") ? "both"
                    : "neither"));
        }
        try {
            return root.has("recipe") ? recipe(name, root.get("recipe")) : phases(name, root);
        } catch (PlanFileException e) {
            throw e;
        } catch (InvalidPlanException e) {
            throw locate(e, root);
        }
    }

    private MigrationPlan phases(String name, Element root) {
        MigrationPlan.Builder plan = MigrationPlan.named(name);
        for (Element s : root.items("existingStreams")) {
            if (!s.node().isTextual()) {
                throw s.fail("it must be a stream name");
            }
            plan.existingStream(s.node().asText());
        }
        List<Element> phases = root.get("phases").items();
        if (phases.isEmpty()) {
            throw root.child("phases").fail("the plan has no phase; add at least one");
        }
        for (Element phase : phases) {
            phase.onlyKeys("name", "gates", "steps");
            String phaseName = phase.text("name");
            if (declared.putIfAbsent("phase \"" + phaseName + "\"", phase) != null) {
                throw phase.child("name").fail("the phase name \"" + phaseName + "\" is used twice");
            }
            List<Gate> gates = phase.items("gates").stream().map(PlanFileReader::gate).toList();
            List<Step> steps = phase.items("steps").stream().map(this::step).toList();
            try {
                plan.phase(phaseName, p -> {
                    gates.forEach(p::gate);
                    steps.forEach(p::step);
                });
            } catch (IllegalArgumentException | InvalidPlanException e) {
                throw phase.child("name").fail(e.getMessage());
            }
        }
        return plan.build();
    }

    private Step step(Element e) {
        String kind = e.kind(STEP_KINDS);
        Element f = e.child(kind);
        Step step;
        try {
            step = switch (kind) {
                case "stream" -> {
                    f.onlyKeys("config", "clusterReplicas");
                    StreamConfiguration config = ServerConfigs.stream(f.get("config"));
                    yield f.bool("clusterReplicas", false) ? Steps.streamWithClusterReplicas(config)
                            : Steps.stream(config);
                }
                case "consumer" -> {
                    f.onlyKeys("stream", "config");
                    yield Steps.consumer(f.text("stream"), ServerConfigs.consumer(f.get("config")));
                }
                case "deleteStream" -> Steps.deleteStream(f.onlyKeys("stream").text("stream"));
                case "durableSource" -> {
                    f.onlyKeys("sourcing", "origin", "consumer", "deliverSubject", "filterSubject", "transformTo");
                    yield Steps.durableSource(new DurableSource(f.text("sourcing"), f.text("origin"),
                            f.text("consumer"), f.text("deliverSubject"), f.text("filterSubject"),
                            f.has("transformTo") ? f.text("transformTo") : null));
                }
                case "deleteConsumer" -> {
                    f.onlyKeys("stream", "consumer");
                    yield Steps.deleteConsumer(f.text("stream"), f.text("consumer"));
                }
                default -> {
                    f.onlyKeys("name", "irreversible", "gates");
                    Gate[] gates = f.items("gates").stream().map(PlanFileReader::gate).toArray(Gate[]::new);
                    yield f.bool("irreversible", false) ? Steps.irreversibleMarker(f.text("name"), gates)
                            : Steps.marker(f.text("name"), gates);
                }
            };
        } catch (PlanFileException ex) {
            throw ex;
        } catch (IllegalArgumentException | InvalidPlanException ex) {
            throw f.fail(ex.getMessage());
        }
        if (declared.putIfAbsent("step \"" + step.name() + "\"", e) != null) {
            throw e.fail("step \"" + step.name() + "\" is declared twice; step names key the recorded state and"
                    + " must be unique");
        }
        step.providesStream().ifPresent(s -> declared.putIfAbsent("stream " + s.getName(), f));
        return step;
    }

    static Gate gate(Element e) {
        String kind = e.kind(GATE_KINDS);
        Element f = e.child(kind);
        try {
            return switch (kind) {
                case "consumerDrained" -> {
                    f.onlyKeys("stream", "consumer", "timeout");
                    yield Gates.consumerDrained(f.text("stream"), f.text("consumer"),
                            f.duration("timeout", GATE_TIMEOUT));
                }
                case "consumersAttached" -> {
                    f.onlyKeys("stream", "atLeast", "timeout");
                    yield Gates.consumersAttached(f.text("stream"), f.integer("atLeast"),
                            f.duration("timeout", GATE_TIMEOUT));
                }
                case "consumersKeepUp" -> {
                    f.onlyKeys("stream", "maxFill", "timeout");
                    yield Gates.consumersKeepUp(f.text("stream"), f.number("maxFill"),
                            f.duration("timeout", GATE_TIMEOUT));
                }
                default -> {
                    f.onlyKeys("subject", "stream", "requireTrace", "timeout");
                    Duration timeout = f.duration("timeout", GATE_TIMEOUT);
                    yield f.bool("requireTrace", true) ? Gates.storedOnlyIn(f.text("subject"), f.text("stream"),
                            timeout) : Gates.storedOnlyInWhereTraceable(f.text("subject"), f.text("stream"), timeout);
                }
            };
        } catch (PlanFileException ex) {
            throw ex;
        } catch (RuntimeException ex) {
            throw f.fail(ex.getMessage());
        }
    }

    private MigrationPlan recipe(String name, Element e) {
        String kind = e.kind(RECIPES);
        Element f = e.child(kind);
        return kind.equals("coreToJetStream") ? coreToJetStream(name, f) : rabbitmq(name, f);
    }

    private MigrationPlan coreToJetStream(String name, Element f) {
        f.onlyKeys("stream", "consumers", "routeCheck", "shadowGates", "cutoverGates");
        CoreToJetStreamRecipe recipe = CoreToJetStreamRecipe.named(name)
                .stream(ServerConfigs.stream(f.get("stream")))
                .routeCheck(f.bool("routeCheck", true));
        declared.put("recipe " + name, f);
        declared.put("stream " + f.get("stream").node().path("name").asText(), f.child("stream"));
        for (Element c : f.items("consumers")) {
            recipe.consumer(ServerConfigs.consumer(c));
        }
        f.items("shadowGates").forEach(g -> recipe.parityGate(gate(g)));
        f.items("cutoverGates").forEach(g -> recipe.cutoverGate(gate(g)));
        return recipe.build();
    }

    private MigrationPlan rabbitmq(String name, Element f) {
        f.onlyKeys("definitions", "vhost", "subjectPrefix", "ingestStream", "streamPrefix", "ingestMaxAge",
                "deadLetters", "delayQueues", "replicas", "durableSources", "maxMessageDelay");
        Element defs = f.get("definitions");
        Path file = baseDir.resolve(f.text("definitions"));
        RabbitDefinitions definitions;
        try {
            definitions = RabbitDefinitions.read(file);
        } catch (java.nio.file.NoSuchFileException ex) {
            throw defs.fail("there is no RabbitMQ definitions file " + file + " (a relative path starts at the plan"
                    + " file's directory)");
        } catch (IOException | DefinitionsException ex) {
            throw defs.fail("the RabbitMQ definitions " + file + " cannot be read: " + ex.getMessage());
        }
        RabbitMqRecipe recipe = RabbitMqRecipe.from(definitions);
        declared.put("recipe " + name, f);
        try {
            if (f.has("vhost")) {
                recipe.vhost(f.text("vhost"));
            }
            if (f.has("subjectPrefix")) {
                recipe.subjectPrefix(f.text("subjectPrefix"));
            }
            if (f.has("ingestStream")) {
                recipe.ingestStream(f.text("ingestStream"));
            }
            if (f.has("streamPrefix")) {
                recipe.streamPrefix(f.text("streamPrefix"));
            }
            if (f.has("ingestMaxAge")) {
                recipe.ingestMaxAge(f.duration("ingestMaxAge", null));
            }
            if (f.has("deadLetters")) {
                Element d = f.get("deadLetters").onlyKeys("stream", "subjectPrefix");
                recipe.deadLetters(d.text("stream"), d.text("subjectPrefix"));
            }
            if (f.has("delayQueues")) {
                recipe.delayQueues(f.items("delayQueues").stream().map(q -> q.node().asText()).toArray(String[]::new));
            }
            if (f.has("replicas")) {
                recipe.replicas(f.integer("replicas"));
            }
            recipe.durableSources(f.bool("durableSources", true));
            if (f.has("maxMessageDelay")) {
                recipe.maxMessageDelay(f.duration("maxMessageDelay", null));
            }
        } catch (PlanFileException ex) {
            throw ex;
        } catch (IllegalArgumentException ex) {
            throw f.fail(ex.getMessage());
        }
        try {
            return recipe.planName(name).build().plan();
        } catch (DefinitionsException ex) {
            throw f.fail(ex.getMessage());
        }
    }

    /** An error of the plan's own validation, placed on the element it names. */
    private PlanFileException locate(InvalidPlanException e, Element root) {
        Element at = declared.getOrDefault(e.element(), root);
        return at.fail(e.getMessage());
    }
}
