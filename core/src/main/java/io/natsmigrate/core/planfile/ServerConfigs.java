package io.natsmigrate.core.planfile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.support.ApiConstants;
import io.nats.client.support.JsonParseException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Stream and consumer settings in plan files: the server's own JSON ({@code nats stream info --json}'s
 * {@code config}), read and written by jnats. Two additions: durations may be written as text ({@code "24h"}) where
 * the server wants nanoseconds, and a key jnats does not know is an error (jnats would ignore a typo such as
 * {@code max_ages}).
 */
final class ServerConfigs {

    /** The server's duration fields (nanoseconds in its JSON). */
    private static final Set<String> DURATIONS = Set.of(ApiConstants.MAX_AGE, ApiConstants.DUPLICATE_WINDOW,
            ApiConstants.ACK_WAIT, ApiConstants.IDLE_HEARTBEAT, ApiConstants.INACTIVE_THRESHOLD,
            ApiConstants.BACKOFF, ApiConstants.SUBJECT_DELETE_MARKER_TTL, "max_expires", "pause_until_nanos");
    /** Every JSON field name of the JetStream API that this jnats knows. */
    private static final Set<String> KNOWN_KEYS = apiFieldNames();
    private static final ObjectMapper JSON = new ObjectMapper();

    private ServerConfigs() {
    }

    static StreamConfiguration stream(Element e) {
        String json = serverJson(e);
        try {
            return StreamConfiguration.instance(json);
        } catch (JsonParseException | RuntimeException ex) {
            throw e.fail("jnats refused the stream configuration: " + ex.getMessage());
        }
    }

    static ConsumerConfiguration consumer(Element e) {
        String json = serverJson(e);
        try {
            return ConsumerConfiguration.builder().json(json).build();
        } catch (JsonParseException | RuntimeException ex) {
            throw e.fail("jnats refused the consumer configuration: " + ex.getMessage());
        }
    }

    /** The configuration as the server's JSON, durations in readable text. */
    static JsonNode write(StreamConfiguration config) {
        return readable(config.toJson());
    }

    static JsonNode write(ConsumerConfiguration config) {
        return readable(config.toJson());
    }

    private static String serverJson(Element e) {
        if (!e.node().isObject()) {
            throw e.fail("it must be an object of the server's settings, e.g. {\"name\": \"ORDERS\", \"subjects\":"
                    + " [\"orders.>\"]}");
        }
        ObjectNode copy = e.node().deepCopy();
        for (Iterator<Map.Entry<String, JsonNode>> it = copy.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            Element at = e.child(f.getKey());
            if (!KNOWN_KEYS.contains(f.getKey())) {
                throw at.fail("\"" + f.getKey() + "\" is not a setting jnats knows; settings use the server's JSON"
                        + " names (max_age, num_replicas, durable_name, ack_wait...) as `nats stream info --json`"
                        + " prints them");
            }
            if (DURATIONS.contains(f.getKey())) {
                f.setValue(nanos(f.getValue(), at));
            }
        }
        return copy.toString();
    }

    private static JsonNode nanos(JsonNode value, Element at) {
        if (value.isArray()) {
            ArrayNode out = JSON.createArrayNode();
            for (int i = 0; i < value.size(); i++) {
                out.add(nanos(value.get(i), at));
            }
            return out;
        }
        if (value.isIntegralNumber()) {
            return value;
        }
        Duration d = value.isTextual() ? DurationText.parse(value.asText()) : null;
        if (d == null) {
            throw at.fail("it must be a duration such as \"30s\" or \"24h\", or nanoseconds");
        }
        return JSON.getNodeFactory().numberNode(d.toNanos());
    }

    private static JsonNode readable(String json) {
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(json);
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (DURATIONS.contains(f.getKey())) {
                    f.setValue(text(f.getValue()));
                }
            }
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode text(JsonNode nanos) {
        if (nanos.isArray()) {
            ArrayNode out = JSON.createArrayNode();
            nanos.forEach(n -> out.add(text(n)));
            return out;
        }
        return nanos.isIntegralNumber()
                ? JSON.getNodeFactory().textNode(DurationText.format(Duration.ofNanos(nanos.longValue())))
                : nanos;
    }

    private static Set<String> apiFieldNames() {
        Set<String> names = new HashSet<>();
        for (Field f : ApiConstants.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                try {
                    names.add((String) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return names;
    }
}
