package io.natsmigrate.testkit;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A nats-server release version ({@code major.minor.patch}), as printed by {@code nats-server --version}
 * or reported in a server's INFO.
 */
public record ServerVersion(int major, int minor, int patch) implements Comparable<ServerVersion> {

    private static final Pattern VERSION = Pattern.compile("v?(\\d+)\\.(\\d+)\\.(\\d+)");

    /** The oldest server the project supports: atomic batch publish and counters arrived in 2.12. */
    public static final ServerVersion MINIMUM_SUPPORTED = new ServerVersion(2, 12, 0);

    /**
     * Finds the first {@code x.y.z} in a text such as {@code "nats-server: v2.15.1"} or {@code "2.12.0-beta"}.
     *
     * @throws IllegalArgumentException when the text holds no version
     */
    public static ServerVersion parse(String text) {
        Objects.requireNonNull(text, "text");
        Matcher m = VERSION.matcher(text);
        if (!m.find()) {
            throw new IllegalArgumentException("No nats-server version (x.y.z) in \"" + text + "\"");
        }
        return new ServerVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)));
    }

    /** True when this version is {@code other} or newer. */
    public boolean isAtLeast(ServerVersion other) {
        return compareTo(other) >= 0;
    }

    @Override
    public int compareTo(ServerVersion o) {
        int c = Integer.compare(major, o.major);
        if (c == 0) {
            c = Integer.compare(minor, o.minor);
        }
        return c != 0 ? c : Integer.compare(patch, o.patch);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
