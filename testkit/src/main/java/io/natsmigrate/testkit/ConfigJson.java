package io.natsmigrate.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * The server config as a JSON tree, written with Jackson. nats-server reads JSON (its config format is a superset),
 * so every value is quoted and escaped by a JSON writer instead of by hand. jnats's own writer is not used: it
 * escapes '/' as "\/", an escape the server's parser refuses.
 */
final class ConfigJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectWriter WRITER = new ObjectMapper().writerWithDefaultPrettyPrinter();

    private ConfigJson() {
    }

    static ObjectNode object() {
        return NODES.objectNode();
    }

    static ArrayNode strings(List<String> values) {
        ArrayNode array = NODES.arrayNode();
        values.forEach(array::add);
        return array;
    }

    static ArrayNode array(List<ObjectNode> values) {
        ArrayNode array = NODES.arrayNode();
        values.forEach(v -> array.add(v.deepCopy()));
        return array;
    }

    /** A server-wide or account user: name and password, plus permissions when given. */
    static ObjectNode user(String name, String password, UserPermissions permissions) {
        ObjectNode user = object().put("user", name).put("password", password);
        if (permissions != null) {
            user.set("permissions", permissions.toConfig());
        }
        return user;
    }

    static String write(ObjectNode root) {
        try {
            return WRITER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A config tree of strings, numbers and booleans did not serialize", e);
        }
    }
}
