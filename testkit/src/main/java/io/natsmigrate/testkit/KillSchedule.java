package io.natsmigrate.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Kills a server with SIGKILL and restarts it each time a progress counter passes a threshold, on its own thread:
 * the fault schedule of a chaos test ("kill after 4,000, 9,000 and 14,000 acks"). Each wait is bounded; a
 * threshold that is not reached in time ends the schedule, and {@link #kills()} tells how many happened.
 *
 * <pre>{@code
 * AtomicLong acked = new AtomicLong();
 * try (KillSchedule chaos = KillSchedule.start(server, acked::get, Duration.ofMinutes(1), 4_000, 9_000, 14_000)) {
 *     ... publish, counting acks ...
 *     chaos.await();
 *     assertThat(chaos.kills()).isEqualTo(3);
 * }
 * }</pre>
 *
 * <p>On a cluster, {@link #onStreamLeader} kills whichever node leads a stream at each threshold, restarts it at once
 * and waits until the stream has a leader with every replica current: back-to-back leader elections, as in a
 * rolling restart.
 */
public final class KillSchedule implements AutoCloseable {

    private final Thread thread;
    private final AtomicInteger kills = new AtomicInteger();
    private final List<Long> killNanos = new CopyOnWriteArrayList<>();
    private volatile boolean stopped;

    private KillSchedule(Supplier<NatsServer> victim, Consumer<NatsServer> afterRestart, LongSupplier progress,
                         Duration timeoutPerKill, long[] thresholds, IntConsumer onKill) {
        this.thread = io.natsmigrate.primitives.DaemonThreads.create(() -> {
            for (long threshold : thresholds) {
                long deadline = System.nanoTime() + timeoutPerKill.toNanos();
                while (progress.getAsLong() < threshold) {
                    if (stopped || System.nanoTime() > deadline) {
                        return;
                    }
                    Thread.onSpinWait(); // the kill must land right at the threshold, under full load
                }
                NatsServer server = victim.get();
                server.kill();
                killNanos.add(System.nanoTime());
                onKill.accept(kills.incrementAndGet());
                server.restart();
                afterRestart.accept(server);
            }
        }, "natsmigrate-kill-schedule");
    }

    /**
     * On a cluster: at each threshold SIGKILLs the node that leads {@code stream} at that moment, restarts it, and
     * waits until the stream has a leader and every replica is current before waiting for the next threshold.
     */
    public static KillSchedule onStreamLeader(NatsCluster cluster, String stream, LongSupplier progress,
                                              Duration timeoutPerKill, long... thresholds) {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(timeoutPerKill, "timeoutPerKill");
        KillSchedule s = new KillSchedule(() -> cluster.streamLeader(stream), n -> cluster.awaitStreamReady(stream),
                progress, timeoutPerKill, thresholds.clone(), n -> { });
        s.thread.start();
        return s;
    }

    /** Starts the schedule; each threshold is waited for at most {@code timeoutPerKill}. */
    public static KillSchedule start(NatsServer server, LongSupplier progress, Duration timeoutPerKill,
                                     long... thresholds) {
        return start(server, progress, timeoutPerKill, n -> { }, thresholds);
    }

    /** As {@link #start(NatsServer, LongSupplier, Duration, long...)}, calling {@code onKill} with the kill count. */
    public static KillSchedule start(NatsServer server, LongSupplier progress, Duration timeoutPerKill,
                                     IntConsumer onKill, long... thresholds) {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(timeoutPerKill, "timeoutPerKill");
        Objects.requireNonNull(onKill, "onKill");
        KillSchedule s = new KillSchedule(() -> server, n -> { }, progress, timeoutPerKill, thresholds.clone(),
                onKill);
        s.thread.start();
        return s;
    }

    /** Waits until the schedule has run (every kill done, or a threshold timed out). */
    public void await() throws InterruptedException {
        thread.join();
    }

    /** Kills (each followed by a restart) so far. */
    public int kills() {
        return kills.get();
    }

    /** {@link System#nanoTime()} of each kill, in order: for measuring stalls against what followed. */
    public List<Long> killTimes() {
        return List.copyOf(killNanos);
    }

    /** Stops waiting for further thresholds. */
    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.join();
    }
}
