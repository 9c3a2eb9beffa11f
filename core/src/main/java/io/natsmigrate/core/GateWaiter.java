package io.natsmigrate.core;

import io.natsmigrate.primitives.ServerTooOldException;

import java.time.Duration;

/**
 * Waits for a {@link Gate}: evaluates it at its poll interval until it passes or its timeout ends. Listeners hear
 * what it waits for and what it saw after each failed evaluation (at most once a second), and the run log says so
 * every few seconds, so a long gate is never silent.
 */
final class GateWaiter {

    private static final long PROGRESS_EVERY_NANOS = 5_000_000_000L;
    private static final long EVENT_EVERY_NANOS = 1_000_000_000L;

    private GateWaiter() {
    }

    /**
     * @param step the step the gate guards, or null for a gate of the phase
     */
    static void await(RunnerSettings s, RunLog log, String phase, Step step, Gate gate) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + gate.timeout().toNanos();
        long nextLog = start + PROGRESS_EVERY_NANOS;
        long nextEvent = start;
        String stepName = step == null ? null : step.name();
        String last = "not evaluated";
        while (true) {
            try {
                GateResult r = gate.evaluate(s.nc());
                if (r.passed()) {
                    GateProgress done = progress(s, phase, stepName, gate, System.nanoTime() - start, r.detail());
                    log.gatePassed(done, System.nanoTime() - start > PROGRESS_EVERY_NANOS);
                    s.listeners().forEach(l -> l.gatePassed(done));
                    return;
                }
                last = r.detail();
            } catch (ServerTooOldException e) {
                throw e; // waiting does not upgrade the server
            } catch (Exception e) {
                last = e.toString();
            }
            long now = System.nanoTime();
            if (now >= deadline) {
                throw new GateTimeoutException(gate.name(), gate.timeout(), last);
            }
            GateProgress waiting = progress(s, phase, stepName, gate, now - start, last);
            if (now >= nextEvent) {
                s.listeners().forEach(l -> l.gateWaiting(waiting));
                nextEvent = now + EVENT_EVERY_NANOS;
            }
            if (now >= nextLog) {
                log.gateWaiting(waiting);
                nextLog = now + PROGRESS_EVERY_NANOS;
            }
            Thread.sleep(gate.pollInterval().toMillis()); // the gate's own poll interval
        }
    }

    private static GateProgress progress(RunnerSettings s, String phase, String step, Gate gate, long waitedNanos,
                                         String lastSeen) {
        return new GateProgress(s.planName(), phase, step, gate.name(), Duration.ofNanos(waitedNanos),
                gate.timeout(), lastSeen);
    }
}
