package io.natsmigrate.dualpublish;

import java.util.List;
import java.util.Locale;

/**
 * What the parity verifier saw, counted over messages whose correlation window has closed.
 *
 * @param matched messages seen on both paths
 * @param late matched messages whose second copy came after the window had closed (counted as missing until
 *             then): a delayed path, not a lost message
 * @param missingInJetStream seen on the legacy path only
 * @param missingInLegacy seen on JetStream only
 * @param duplicatesLegacy extra copies of a Msg-Id on the legacy path
 * @param duplicatesJetStream extra copies of a Msg-Id on JetStream
 * @param payloadDiffs matched messages whose payloads differ
 * @param headerDiffs matched messages whose application headers differ ({@code Nats-*} headers are not compared)
 * @param orderInversions pairs of messages on one subject whose order differs between the paths
 * @param uncorrelated messages without a {@code Nats-Msg-Id}, which cannot be matched
 * @param pending messages still inside their window
 * @param latencyDeltaP50Millis median of JetStream arrival minus legacy arrival
 * @param latencyDeltaP99Millis 99th percentile of the same
 * @param samples a few examples per divergence class, e.g. {@code "missing-in-jetstream: <msgId> on <subject>"}
 */
public record ParityReport(long matched, long late, long missingInJetStream, long missingInLegacy, long duplicatesLegacy,
                           long duplicatesJetStream, long payloadDiffs, long headerDiffs, long orderInversions,
                           long uncorrelated, long pending, double latencyDeltaP50Millis,
                           double latencyDeltaP99Millis, List<String> samples) {

    public ParityReport {
        samples = List.copyOf(samples);
    }

    /** matched / (matched + missing on either side); 1.0 when nothing was seen. */
    public double parity() {
        long total = matched + missingInJetStream + missingInLegacy;
        return total == 0 ? 1.0 : (double) matched / total;
    }

    /** True when nothing diverged. */
    public boolean isClean() {
        return missingInJetStream == 0 && missingInLegacy == 0 && duplicatesLegacy == 0 && duplicatesJetStream == 0
                && payloadDiffs == 0 && headerDiffs == 0 && orderInversions == 0;
    }

    public String toText() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "parity %.4f: matched %d (late %d), missing in JetStream %d, missing in legacy %d, duplicates legacy %d /"
                        + " JetStream %d, payload diffs %d, header diffs %d, order inversions %d, uncorrelated %d,"
                        + " pending %d, latency delta p50 %.2f ms p99 %.2f ms%n", parity(), matched, late,
                missingInJetStream, missingInLegacy, duplicatesLegacy, duplicatesJetStream, payloadDiffs, headerDiffs,
                orderInversions, uncorrelated, pending, latencyDeltaP50Millis, latencyDeltaP99Millis));
        samples.forEach(s -> sb.append("  ").append(s).append('\n'));
        return sb.toString();
    }

    public String toJson() {
        return io.natsmigrate.core.internal.Json.pretty(this);
    }
}
