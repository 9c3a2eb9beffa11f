package io.natsmigrate.samples;

import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Prints each phase as it starts and records how long it took. */
final class PhaseTimer {

    private final PrintStream out;
    private final Map<String, Duration> phases = new LinkedHashMap<>();
    private String current;
    private long startedNanos;

    PhaseTimer(PrintStream out) {
        this.out = out;
    }

    void begin(String phase) {
        end();
        current = phase;
        startedNanos = System.nanoTime();
        out.println("  [phase] " + phase);
    }

    void end() {
        if (current != null) {
            phases.put(current, Duration.ofNanos(System.nanoTime() - startedNanos));
            current = null;
        }
    }

    /** Phases in order with their durations (ends the current phase). */
    Map<String, Duration> phases() {
        end();
        return new LinkedHashMap<>(phases);
    }
}
