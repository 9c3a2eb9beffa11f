package io.natsmigrate.core.rabbitmq;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;

/**
 * Stream and consumer names from RabbitMQ names, which may hold characters JetStream names cannot: those become
 * '_' and a short hash of the original keeps two names that clean to the same apart.
 */
final class StreamNaming {

    private final Set<String> taken = new HashSet<>();

    /** Marks a name as used, so no queue stream gets it. */
    void reserve(String name) {
        taken.add(name);
    }

    /** A stream name for {@code name}, unique among those handed out. */
    String stream(String name) {
        String clean = clean(name);
        if (taken.add(clean)) {
            return clean;
        }
        String unique = clean + "_" + shortHash(name);
        taken.add(unique);
        return unique;
    }

    /** A consumer name for a queue (unique per stream, so no registry is needed). */
    static String consumer(String queue) {
        return clean(queue);
    }

    /** {@code name} with what a JetStream name cannot hold replaced, plus a short hash when anything was. */
    static String clean(String name) {
        String clean = name.replaceAll("[^A-Za-z0-9_-]", "_");
        return clean.equals(name) ? clean : clean + "_" + shortHash(name);
    }

    private static String shortHash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 3);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }
}
