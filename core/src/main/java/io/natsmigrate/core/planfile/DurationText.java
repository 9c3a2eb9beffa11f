package io.natsmigrate.core.planfile;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them, in plan files and on the CLI's command line: {@code 500ms}, {@code 30s},
 * {@code 5m}, {@code 2h}, {@code 7d} or ISO-8601 ({@code PT5M}). The one place for that rule.
 */
public final class DurationText {

    private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private DurationText() {
    }

    /** The duration, or null when {@code text} is not one. */
    public static Duration parse(String text) {
        Matcher m = SHORT.matcher(text.trim());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(text.trim());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The shortest exact short form ({@code 7d}, {@code 90s}, {@code 1500ms}), ISO-8601 below a millisecond. */
    public static String format(Duration d) {
        long nanos = d.toNanos();
        if (nanos % 1_000_000 != 0) {
            return d.toString();
        }
        long ms = nanos / 1_000_000;
        long[] units = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
        String[] names = {"d", "h", "m", "s"};
        for (int i = 0; i < units.length; i++) {
            if (ms != 0 && ms % units[i] == 0) {
                return ms / units[i] + names[i];
            }
        }
        return ms + "ms";
    }
}
