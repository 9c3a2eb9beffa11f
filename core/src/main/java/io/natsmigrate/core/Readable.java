package io.natsmigrate.core;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/** Durations and sizes as people read them in reports ("2m", "1.5 GiB"), not as nanoseconds and raw bytes. */
final class Readable {

    /** JetStream configuration fields that hold nanoseconds. */
    private static final Set<String> DURATION_FIELDS = Set.of("max_age", "duplicate_window", "ack_wait",
            "inactive_threshold", "idle_heartbeat", "max_expires", "subject_delete_marker_ttl", "pause_until");
    /** Fields that hold bytes. */
    private static final Set<String> BYTE_FIELDS = Set.of("max_bytes", "max_msg_size", "max_request_max_bytes");

    private Readable() {
    }

    /** A configuration value for field {@code field}, readable when it is a duration or a size. */
    static String value(String field, Object v) {
        if (v instanceof Number n && n.longValue() > 0) {
            if (DURATION_FIELDS.contains(field)) {
                return duration(Duration.ofNanos(n.longValue()));
            }
            if (BYTE_FIELDS.contains(field)) {
                return bytes(n.longValue());
            }
        }
        return String.valueOf(v);
    }

    static String duration(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        long days = d.toDays();
        if (days > 0) {
            sb.append(days).append('d');
        }
        if (d.toHoursPart() > 0) {
            sb.append(d.toHoursPart()).append('h');
        }
        if (d.toMinutesPart() > 0) {
            sb.append(d.toMinutesPart()).append('m');
        }
        if (d.toSecondsPart() > 0) {
            sb.append(d.toSecondsPart()).append('s');
        }
        if (d.toMillisPart() > 0 && days == 0) {
            sb.append(d.toMillisPart()).append("ms");
        }
        return sb.length() == 0 ? d.toNanos() + "ns" : sb.toString();
    }

    static String bytes(long b) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = b;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? b + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
