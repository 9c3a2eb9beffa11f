package io.natsmigrate.core.planfile;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A parsed plan file and the line of each of its elements, so that an error found after parsing (a bad stream
 * name, an unknown key) can still name its line. Jackson's tree forgets locations; one pass over the tokens keeps
 * them, keyed by JSON pointer.
 */
final class PlanTree {

    private final String source;
    private final JsonNode root;
    private final Map<String, Integer> lines;

    private PlanTree(String source, JsonNode root, Map<String, Integer> lines) {
        this.source = source;
        this.root = root;
        this.lines = lines;
    }

    static PlanTree parse(String source, String text, PlanFormat format) {
        ObjectMapper mapper = Mappers.of(format, source);
        JsonFactory factory = mapper.getFactory();
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser p = factory.createParser(text)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t != JsonToken.FIELD_NAME && t != JsonToken.END_OBJECT && t != JsonToken.END_ARRAY) {
                    lines.putIfAbsent(p.getParsingContext().pathAsPointer().toString(),
                            p.currentTokenLocation().getLineNr());
                }
            }
            JsonNode root = mapper.readTree(text);
            if (root == null || !root.isObject()) {
                throw new PlanFileException(source, 1, "", "a plan file is one object with \"plan\" and either"
                        + " \"phases\" or \"recipe\"; see docs/plan-files.md");
            }
            return new PlanTree(source, root, lines);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new PlanFileException(source, line, "", "it is not valid " + format + ": "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new PlanFileException(source, 0, "", "it cannot be read: " + e.getMessage());
        }
    }

    String source() {
        return source;
    }

    JsonNode root() {
        return root;
    }

    /** The line of the element at {@code pointer}, or of its nearest enclosing element; 0 when unknown. */
    int lineOf(String pointer) {
        String p = pointer;
        while (true) {
            Integer line = lines.get(p);
            if (line != null) {
                return line;
            }
            if (p.isEmpty()) {
                return 0;
            }
            p = p.substring(0, p.lastIndexOf('/'));
        }
    }
}
