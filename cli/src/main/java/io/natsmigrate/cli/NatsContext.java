package io.natsmigrate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A {@code nats} CLI context ({@code nats context save NAME ...}): a JSON file under
 * {@code $XDG_CONFIG_HOME/nats/context/} (default {@code ~/.config/nats/context/}) with {@code url}, {@code creds},
 * {@code nkey}, {@code user}, {@code password}, {@code cert}, {@code key}, {@code ca}.
 */
record NatsContext(String url, Path creds, Path nkey, String user, String password, Path cert, Path key, Path ca) {

    static final NatsContext NONE = new NatsContext(null, null, null, null, null, null, null, null);

    static Path directory() {
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path config = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"),
                ".config");
        return config.resolve("nats").resolve("context");
    }

    static NatsContext load(String name) throws Exception {
        Path file = directory().resolve(name + ".json");
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("--context " + name + ": there is no context file " + file
                    + "; create it with `nats context save " + name + " --server ...` or pass --server");
        }
        JsonNode n = new ObjectMapper().readTree(file.toFile());
        return new NatsContext(text(n, "url"), path(n, "creds"), path(n, "nkey"), text(n, "user"),
                text(n, "password"), path(n, "cert"), path(n, "key"), path(n, "ca"));
    }

    private static String text(JsonNode n, String field) {
        String v = n.path(field).asText("");
        return v.isBlank() ? null : v;
    }

    private static Path path(JsonNode n, String field) {
        String v = text(n, field);
        return v == null ? null : Path.of(v.replaceFirst("^~", System.getProperty("user.home")));
    }
}
