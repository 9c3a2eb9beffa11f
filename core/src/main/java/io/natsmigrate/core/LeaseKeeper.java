package io.natsmigrate.core;

import io.nats.client.JetStreamApiException;
import io.natsmigrate.primitives.JetStreamErrorCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The plan's lease while a run holds it: taken (waiting up to the runner's lock wait for another runner to finish),
 * renewed every third of the lease, given back at the end. A lease the store no longer accepts (expired and taken
 * over, or force-unlocked) is lost, and the run writes nothing more.
 */
final class LeaseKeeper implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);

    private final RunnerSettings settings;
    private final Instant acquiredAt = Instant.now();
    private volatile PlanStore.Lease lease;
    private volatile boolean lost;
    private volatile long renewedAt = System.nanoTime();
    private ScheduledFuture<?> renewal;

    private LeaseKeeper(RunnerSettings settings, PlanStore.Lease lease) {
        this.settings = settings;
        this.lease = lease;
    }

    /**
     * Takes the lease, waiting while another runner holds it (up to the lock wait), and starts renewing it.
     *
     * @throws PlanLockedException when another runner still holds it after the lock wait
     */
    static LeaseKeeper acquire(RunnerSettings s, ScheduledExecutorService scheduler) throws Exception {
        long deadline = System.nanoTime() + s.lockWait().toNanos();
        boolean logged = false;
        while (true) {
            try {
                PlanStore.Lease l = TransientErrors.retry(s.nc(), s.transientRetry(), "Plan " + s.planName()
                        + ": taking its lease", () -> s.store().acquire(s.planName(), s.instanceId(), s.token(),
                        s.lease()));
                LeaseKeeper k = new LeaseKeeper(s, l);
                long period = Math.max(1, s.lease().toMillis() / 3);
                k.renewal = scheduler.scheduleAtFixedRate(k::renew, period, period, TimeUnit.MILLISECONDS);
                return k;
            } catch (PlanLockedException locked) {
                if (System.nanoTime() >= deadline) {
                    throw locked;
                }
                if (!logged) {
                    LOG.info("Plan {}: runner {} waits for the lease held by {} (up to {})", s.planName(),
                            s.instanceId(), locked.holder(), s.lockWait());
                    logged = true;
                }
                Thread.sleep(Math.min(500, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            }
        }
    }

    synchronized void renew() {
        if (lost) {
            return;
        }
        try {
            lease = settings.store().renew(lease, settings.lease(), acquiredAt);
            renewedAt = System.nanoTime();
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            boolean takenOver = e instanceof JetStreamApiException api
                    && JetStreamErrorCodes.isWrongLastSequence(api.getApiErrorCode());
            // A renewal lost to an election is tried again next time, as long as the lease has not run out.
            if (takenOver || System.nanoTime() - renewedAt >= settings.lease().toNanos()) {
                lost = true;
                LOG.warn("Plan {}: runner {} lost its lease ({}); it writes no more state", settings.planName(),
                        settings.instanceId(), e.toString());
            }
        }
    }

    boolean lost() {
        return lost;
    }

    @Override
    public void close() {
        if (renewal != null) {
            renewal.cancel(false);
        }
        settings.store().release(lease);
    }
}
