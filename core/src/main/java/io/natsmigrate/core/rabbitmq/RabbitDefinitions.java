package io.natsmigrate.core.rabbitmq;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A RabbitMQ definitions export, as the management plugin writes it ({@code GET /api/definitions}, or "Export
 * definitions" in the UI): vhosts, exchanges, queues, bindings, policies and operator policies (the
 * {@code operator_policy} parameters). Users, permissions and other parameters are ignored; unknown fields are
 * ignored so newer exports still load.
 *
 * @param vhosts    the virtual hosts
 * @param exchanges the declared exchanges (the default exchange is implicit, as in RabbitMQ)
 * @param queues    the declared queues
 * @param bindings  exchange-to-queue and exchange-to-exchange bindings
 * @param policies  policies, applied to queues and exchanges by name pattern and priority
 * @param parameters runtime parameters (vhost limits, federation upstreams, shovels, operator policies, ...)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RabbitDefinitions(List<Vhost> vhosts, List<Exchange> exchanges, List<Queue> queues,
                                List<Binding> bindings, List<Policy> policies, List<Parameter> parameters) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public RabbitDefinitions {
        vhosts = vhosts == null ? List.of() : List.copyOf(vhosts);
        exchanges = exchanges == null ? List.of() : List.copyOf(exchanges);
        queues = queues == null ? List.of() : List.copyOf(queues);
        bindings = bindings == null ? List.of() : List.copyOf(bindings);
        policies = policies == null ? List.of() : List.copyOf(policies);
        parameters = parameters == null ? List.of() : List.copyOf(parameters);
    }

    /**
     * The operator policies ({@code operator_policy} parameters) as policies. RabbitMQ applies the matching one
     * with the highest priority to a queue on top of its policy; where both set a limit, the lower wins.
     */
    public List<Policy> operatorPolicies() {
        return parameters.stream().filter(p -> "operator_policy".equals(p.component())).map(p -> {
            Object definition = p.value().get("definition");
            Object priority = p.value().get("priority");
            @SuppressWarnings("unchecked")
            Map<String, Object> def = definition instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
            return new Policy(p.vhost(), p.name(), p.value().get("pattern") == null ? null
                    : String.valueOf(p.value().get("pattern")), p.value().get("apply-to") == null ? null
                    : String.valueOf(p.value().get("apply-to")), def,
                    priority instanceof Number n ? n.intValue() : 0);
        }).toList();
    }

    /**
     * Reads an export.
     *
     * @throws DefinitionsException when the text is not JSON of that shape, naming line and column
     */
    public static RabbitDefinitions parse(String json) {
        Objects.requireNonNull(json, "json");
        try {
            return JSON.readValue(json, RabbitDefinitions.class);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw new DefinitionsException("Not a RabbitMQ definitions export" + where + ": "
                    + e.getOriginalMessage() + ". Export it with `rabbitmqadmin export definitions.json` or"
                    + " GET /api/definitions on the management plugin", e);
        }
    }

    /** Reads an export file. */
    public static RabbitDefinitions read(Path file) throws IOException {
        return parse(Files.readString(file));
    }

    /** A virtual host. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Vhost(String name) {
    }

    /** An exchange: {@code direct}, {@code topic}, {@code fanout}, {@code headers} or a plugin type. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Exchange(String name, String vhost, String type, boolean durable,
                           @JsonProperty("auto_delete") boolean autoDelete, boolean internal,
                           Map<String, Object> arguments) {
        public Exchange {
            arguments = arguments == null ? Map.of() : Map.copyOf(arguments);
        }
    }

    /**
     * A queue with its {@code x-*} arguments. Exports leave out exclusive queues (they belong to a connection);
     * {@code exclusive} is read so that a hand-written one is reported rather than silently translated.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Queue(String name, String vhost, boolean durable, @JsonProperty("auto_delete") boolean autoDelete,
                        boolean exclusive, Map<String, Object> arguments) {
        public Queue {
            arguments = arguments == null ? Map.of() : Map.copyOf(arguments);
        }
    }

    /** A binding from exchange {@code source} to a queue or exchange {@code destination}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Binding(String source, String vhost, String destination,
                          @JsonProperty("destination_type") String destinationType,
                          @JsonProperty("routing_key") String routingKey, Map<String, Object> arguments) {
        public Binding {
            routingKey = routingKey == null ? "" : routingKey;
            arguments = arguments == null ? Map.of() : Map.copyOf(arguments);
        }
    }

    /** A runtime parameter: {@code component} says what it is ({@code operator_policy}, {@code vhost-limits}, ...). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Parameter(String vhost, String component, String name, Map<String, Object> value) {
        public Parameter {
            value = value == null ? Map.of() : Collections.unmodifiableMap(new java.util.LinkedHashMap<>(value));
        }
    }

    /** A policy: {@code definition} applies to queues or exchanges whose name matches {@code pattern}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Policy(String vhost, String name, String pattern, @JsonProperty("apply-to") String applyTo,
                         Map<String, Object> definition, int priority) {
        public Policy {
            applyTo = applyTo == null ? "all" : applyTo;
            definition = definition == null ? Map.of() : Map.copyOf(definition);
        }
    }
}
