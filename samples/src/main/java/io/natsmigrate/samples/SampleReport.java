package io.natsmigrate.samples;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a sample did to its messages. {@link #lost()} is what the samples exist to keep at zero.
 *
 * @param published messages the sample's publishers had confirmed
 * @param delivered distinct messages its consumers processed
 * @param duplicates deliveries of a message already processed
 * @param lost published messages never processed
 * @param phases wall time per phase, in order
 */
record SampleReport(long published, long delivered, long duplicates, long lost, Map<String, Duration> phases) {

    SampleReport {
        phases = Collections.unmodifiableMap(new LinkedHashMap<>(phases)); // keeps phase order
    }

    boolean ok() {
        return lost == 0;
    }
}
