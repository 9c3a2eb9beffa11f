package io.natsmigrate.core.rabbitmq;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A RabbitMQ definitions export, as the management plugin writes it ({@code GET /api/definitions}, or "Export
 * definitions" in the UI): vhosts, exchanges, queues, bindings and policies. Users, permissions and parameters
 * are ignored; unknown fields are ignored so newer exports still load.
 *
 * @param vhosts    the virtual hosts
 * @param exchanges the declared exchanges (the default exchange is implicit, as in RabbitMQ)
 * @param queues    the declared queues
 * @param bindings  exchange-to-queue and exchange-to-exchange bindings
 * @param policies  policies, applied to queues and exchanges by name pattern and priority
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RabbitDefinitions(List<Vhost> vhosts, List<Exchange> exchanges, List<Queue> queues,
                                List<Binding> bindings, List<Policy> policies) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public RabbitDefinitions {
        vhosts = vhosts == null ? List.of() : List.copyOf(vhosts);
        exchanges = exchanges == null ? List.of() : List.copyOf(exchanges);
        queues = queues == null ? List.of() : List.copyOf(queues);
        bindings = bindings == null ? List.of() : List.copyOf(bindings);
        policies = policies == null ? List.of() : List.copyOf(policies);
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
