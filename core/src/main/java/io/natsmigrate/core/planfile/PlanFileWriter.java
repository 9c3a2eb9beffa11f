package io.natsmigrate.core.planfile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.core.Gate;
import io.natsmigrate.core.MigrationPlan;
import io.natsmigrate.core.Phase;
import io.natsmigrate.core.Step;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A {@link MigrationPlan} as a plan file's tree: explicit phases, each step and gate by its declaration. */
final class PlanFileWriter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PlanFileWriter() {
    }

    static ObjectNode write(MigrationPlan plan) {
        ObjectNode root = JSON.createObjectNode();
        root.put("plan", plan.name());
        if (!plan.existingStreams().isEmpty()) {
            ArrayNode existing = root.putArray("existingStreams");
            plan.existingStreams().stream().sorted().forEach(existing::add);
        }
        ArrayNode phases = root.putArray("phases");
        for (Phase phase : plan.phases()) {
            ObjectNode p = phases.addObject();
            p.put("name", phase.name());
            if (!phase.gates().isEmpty()) {
                ArrayNode gates = p.putArray("gates");
                phase.gates().forEach(g -> gates.add(value(gateDeclaration(g, phase))));
            }
            ArrayNode steps = p.putArray("steps");
            for (Step step : phase.steps()) {
                steps.add(value(step.declaration().orElseThrow(() -> new PlanFileException("plan " + plan.name(), 0,
                        "phase \"" + phase.name() + "\"", "step \"" + step.name() + "\" is application code or"
                        + " runs on another system's connection, which a plan file cannot express; keep this plan"
                        + " in Java, or replace the step with a marker and do the work outside the plan"))));
                step.gates().forEach(g -> gateDeclaration(g, phase));
            }
        }
        return root;
    }

    private static Map<String, Object> gateDeclaration(Gate gate, Phase phase) {
        return gate.declaration().orElseThrow(() -> new PlanFileException("phase \"" + phase.name() + "\"", 0, "",
                "gate \"" + gate.name() + "\" is application code, which a plan file cannot express; keep this plan"
                        + " in Java, or use a built-in gate (consumerDrained, consumersKeepUp, storedOnlyIn)"));
    }

    private static JsonNode value(Object v) {
        if (v instanceof Map<?, ?> map) {
            ObjectNode node = JSON.createObjectNode();
            map.forEach((k, x) -> node.set((String) k, value(x)));
            return node;
        }
        if (v instanceof List<?> list) {
            ArrayNode node = JSON.createArrayNode();
            list.forEach(x -> node.add(value(x)));
            return node;
        }
        if (v instanceof Duration d) {
            return JSON.getNodeFactory().textNode(DurationText.format(d));
        }
        if (v instanceof StreamConfiguration s) {
            return ServerConfigs.write(s);
        }
        if (v instanceof ConsumerConfiguration c) {
            return ServerConfigs.write(c);
        }
        return JSON.valueToTree(v);
    }
}
