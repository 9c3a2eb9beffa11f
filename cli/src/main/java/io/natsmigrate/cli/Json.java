package io.natsmigrate.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.natsmigrate.core.LockHolder;

import java.io.UncheckedIOException;

/** JSON output of the commands: indented, instants as ISO-8601 text. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode lock(LockHolder h) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("instance", h.instance());
        n.put("acquiredAt", h.acquiredAt().toString());
        n.put("expiresAt", h.expiresAt().toString());
        n.put("ageSeconds", h.age().toSeconds());
        n.put("expired", h.expired());
        return n;
    }
}
