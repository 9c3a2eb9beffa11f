package io.natsmigrate.core;

import io.nats.client.Connection;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A gate that a plan file can express: it delegates to {@code gate} and says which plan-file element it is. */
final class DeclaredGate implements Gate {

    private final Gate gate;
    private final Map<String, Object> declaration;

    private DeclaredGate(Gate gate, Map<String, Object> declaration) {
        this.gate = gate;
        this.declaration = declaration;
    }

    /** {@code gate} declared as {@code kind} with {@code fields} (in order) and its timeout. */
    static Gate of(Gate gate, String kind, Object... fields) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < fields.length; i += 2) {
            values.put((String) fields[i], fields[i + 1]);
        }
        values.put("timeout", gate.timeout());
        return new DeclaredGate(gate, Map.of(kind, values));
    }

    @Override
    public String name() {
        return gate.name();
    }

    @Override
    public GateResult evaluate(Connection nc) throws Exception {
        return gate.evaluate(nc);
    }

    @Override
    public Duration timeout() {
        return gate.timeout();
    }

    @Override
    public Duration pollInterval() {
        return gate.pollInterval();
    }

    @Override
    public Optional<Map<String, Object>> declaration() {
        return Optional.of(declaration);
    }
}
