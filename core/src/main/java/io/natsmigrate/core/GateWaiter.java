package io.natsmigrate.core;

import io.nats.client.Connection;
import io.natsmigrate.primitives.ServerTooOldException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for a {@link Gate}: evaluates it at its poll interval until it passes or its timeout ends, saying every few
 * seconds what it waits for and what it saw last, so a long gate is never silent.
 */
final class GateWaiter {

    private static final Logger LOG = LoggerFactory.getLogger(GateWaiter.class);
    private static final long PROGRESS_EVERY_NANOS = 5_000_000_000L;

    private GateWaiter() {
    }

    static void await(String plan, Gate gate, Connection nc) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + gate.timeout().toNanos();
        long nextProgress = start + PROGRESS_EVERY_NANOS;
        String last = "not evaluated";
        while (true) {
            try {
                GateResult r = gate.evaluate(nc);
                if (r.passed()) {
                    if (System.nanoTime() - start > PROGRESS_EVERY_NANOS) {
                        LOG.info("Plan {}: gate \"{}\" passed: {}", plan, gate.name(), r.detail());
                    }
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
            if (now >= nextProgress) {
                LOG.info("Plan {}: waiting for gate \"{}\" ({} s of {}): {}", plan, gate.name(),
                        (now - start) / 1_000_000_000L, gate.timeout(), last);
                nextProgress = now + PROGRESS_EVERY_NANOS;
            }
            Thread.sleep(gate.pollInterval().toMillis()); // the gate's own poll interval
        }
    }
}
