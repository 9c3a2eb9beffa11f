package io.natsmigrate.core;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.StreamInfo;
import io.nats.client.api.StreamState;
import io.natsmigrate.primitives.Durations;
import io.natsmigrate.primitives.JetStreamErrorCodes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Copies a stream from one system to another by the JetStream snapshot and restore API, where no leaf node can
 * bridge them (air-gapped systems, different operators, a one-off move in a maintenance window). What the
 * {@code nats stream backup} and {@code restore} commands do by hand:
 *
 * <ol>
 *   <li>check: the stream exists on the source; the target does not have it (or has the same messages already,
 *   which makes the copy a no-op, so a plan step can run it again);</li>
 *   <li>snapshot: the source sends its store, with the consumers and their positions unless
 *   {@link #withConsumers(boolean) withConsumers(false)}, chunk by chunk with acks for flow control, into a spool
 *   file whose SHA-256 is taken as it is written;</li>
 *   <li>restore: the spool file is sent chunk by chunk to the target, each chunk acknowledged; the restore is only
 *   completed when the bytes sent have the same SHA-256;</li>
 *   <li>verify: the restored stream has the snapshot's message count, first and last sequence.</li>
 * </ol>
 *
 * The source is only read. If the restore or the verification fails, the half-restored stream is deleted, so the
 * target is as before ({@link StreamCopyException#targetClean()}). Sequences, subjects, headers, timestamps and
 * consumer positions are those of the source. Messages published to the source after the snapshot started are not
 * in the copy: pause the publishers first ({@link OfflineMoveRecipe} waits for that).
 *
 * <pre>{@code
 * StreamCopyResult r = StreamCopy.stream("ORDERS").from(oldSystem).to(newSystem)
 *         .progress(p -> log.info("{} {} of {} bytes", p.stage(), p.bytes(), p.expectedBytes()))
 *         .copy();
 * }</pre>
 */
public final class StreamCopy {

    private static final int MIN_CHUNK = 1024;

    private final String stream;
    private Connection source;
    private Connection target;
    private String sourceDomain;
    private String targetDomain;
    private boolean withConsumers = true;
    private int replicas;
    private int chunkSize = 128 * 1024;
    private Path spoolDirectory;
    private Duration idleTimeout = Duration.ofSeconds(10);
    private Duration finishTimeout = Duration.ofMinutes(2);
    private CopyProgress.Listener progress = p -> { };

    private StreamCopy(String stream) {
        this.stream = stream;
    }

    /** Starts a copy of the stream {@code name} (same name on the target). */
    public static StreamCopy stream(String name) {
        return new StreamCopy(Names.requireStreamName("stream", name));
    }

    /** The system to copy from (read only). */
    public StreamCopy from(Connection source) {
        this.source = Objects.requireNonNull(source, "source");
        return this;
    }

    /** The system to copy to. */
    public StreamCopy to(Connection target) {
        this.target = Objects.requireNonNull(target, "target");
        return this;
    }

    /** The source's JetStream domain, when the stream is in another domain than the connection's (default none). */
    public StreamCopy fromDomain(String domain) {
        this.sourceDomain = Names.requireToken("source domain", domain);
        return this;
    }

    /** The target's JetStream domain (default none: the connection's own). */
    public StreamCopy toDomain(String domain) {
        this.targetDomain = Names.requireToken("target domain", domain);
        return this;
    }

    /** Whether the consumers and their positions are copied too (default true). */
    public StreamCopy withConsumers(boolean with) {
        this.withConsumers = with;
        return this;
    }

    /**
     * Replicas of the copy (default 0: the source's, but no more than the target offers: 1 on a single server,
     * which refuses more, min(3, cluster size) on a cluster).
     */
    public StreamCopy replicas(int replicas) {
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas must be 1 or more (0: the source's, capped by the target),"
                    + " was " + replicas);
        }
        this.replicas = replicas;
        return this;
    }

    /**
     * Bytes per chunk (default 128 KiB). At least 1 KiB and below both servers' {@code max_payload} (1 MiB by
     * default): a chunk is one message.
     */
    public StreamCopy chunkSize(int bytes) {
        if (bytes < MIN_CHUNK) {
            throw new IllegalArgumentException("chunkSize must be at least " + MIN_CHUNK + " bytes, was " + bytes);
        }
        this.chunkSize = bytes;
        return this;
    }

    /**
     * Where the snapshot is spooled between reading and restoring (default the system temp directory). Needs room
     * for the compressed stream; the file is deleted when the copy ends, either way.
     */
    public StreamCopy spoolDirectory(Path dir) {
        this.spoolDirectory = Objects.requireNonNull(dir, "dir");
        return this;
    }

    /**
     * How long either server may go without moving a chunk before the copy fails (default 10 s). A restart of
     * either server during the copy ends it this way; the copy can be run again.
     */
    public StreamCopy idleTimeout(Duration timeout) {
        this.idleTimeout = Durations.requirePositive("idleTimeout", timeout);
        return this;
    }

    /** How long the target may take to build the stream after the last chunk (default 2 min). */
    public StreamCopy finishTimeout(Duration timeout) {
        this.finishTimeout = Durations.requirePositive("finishTimeout", timeout);
        return this;
    }

    /** Called after every chunk; throwing from it cancels the copy (the target is cleaned as on any failure). */
    public StreamCopy progress(CopyProgress.Listener listener) {
        this.progress = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /**
     * Runs the copy.
     *
     * @throws StreamCopyException naming the stage, the cause and whether the target was left clean
     */
    public StreamCopyResult copy() throws InterruptedException {
        if (source == null || target == null) {
            throw new IllegalStateException("Copy of stream " + stream + ": call from(connection) and"
                    + " to(connection) before copy()");
        }
        requireOpen(source, "source");
        requireOpen(target, "target");
        long started = System.nanoTime();
        JetStreamManagement sjsm = jsm(source, sourceDomain);
        JetStreamManagement tjsm = jsm(target, targetDomain);
        StreamInfo existing = check(sjsm, tjsm);
        if (existing != null) {
            return result(existing.getStreamState(), 0, 0, "", consumers(tjsm), true, started);
        }
        SnapshotSpool spool = snapshot();
        try {
            restore(tjsm, spool);
            StreamState restored = verify(tjsm, spool);
            return result(restored, spool.bytes(), spool.chunks(), spool.sha256(), consumers(tjsm), false, started);
        } finally {
            deleteQuietly(spool.file());
        }
    }

    /** The target's stream if it already holds the same messages; null if the copy is due. */
    private StreamInfo check(JetStreamManagement sjsm, JetStreamManagement tjsm) {
        StreamInfo src = info(sjsm, "the source", CopyProgress.Stage.CHECK);
        if (src == null) {
            throw new StreamCopyException(stream, CopyProgress.Stage.CHECK, true, "the stream does not exist on"
                    + " the source: check the name and the source's domain", null);
        }
        StreamInfo there = info(tjsm, "the target", CopyProgress.Stage.CHECK);
        if (there == null) {
            return null;
        }
        if (sameMessages(src.getStreamState(), there.getStreamState())) {
            return there;
        }
        throw new StreamCopyException(stream, CopyProgress.Stage.CHECK, false, "the target already has a stream "
                + stream + " with other messages (" + describe(there.getStreamState()) + "; the source has "
                + describe(src.getStreamState()) + "). Delete it on the target to copy again, or keep it and"
                + " skip the copy", null);
    }

    private SnapshotSpool snapshot() throws InterruptedException {
        Path file = null;
        try {
            file = spoolDirectory == null ? Files.createTempFile("natsmigrate-" + stream + "-", ".snapshot")
                    : Files.createTempFile(spoolDirectory, "natsmigrate-" + stream + "-", ".snapshot");
            return SnapshotSpool.read(source, api(sourceDomain), stream, withConsumers, chunkSize, idleTimeout,
                    file, progress);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(file);
            throw new StreamCopyException(stream, CopyProgress.Stage.SNAPSHOT, true, message(e), e);
        }
    }

    private void restore(JetStreamManagement tjsm, SnapshotSpool spool) throws InterruptedException {
        try {
            int r = replicas > 0 ? replicas : Math.min(spool.replicas(), ClusterReplicas.defaultFor(target));
            SnapshotRestore.send(target, api(targetDomain), stream, spool, r, chunkSize, idleTimeout, finishTimeout,
                    progress);
        } catch (IOException | RuntimeException e) {
            boolean clean = removeHalfRestored(tjsm);
            throw new StreamCopyException(stream, CopyProgress.Stage.RESTORE, clean, message(e), e);
        }
    }

    private StreamState verify(JetStreamManagement tjsm, SnapshotSpool spool) {
        StreamInfo restored = info(tjsm, "the target", CopyProgress.Stage.VERIFY);
        StreamState state = restored == null ? null : restored.getStreamState();
        if (state == null || state.getMsgCount() != spool.messages() || state.getFirstSequence()
                != spool.firstSequence() || state.getLastSequence() != spool.lastSequence()) {
            boolean clean = removeHalfRestored(tjsm);
            throw new StreamCopyException(stream, CopyProgress.Stage.VERIFY, clean, "the restored stream has "
                    + (state == null ? "disappeared" : describe(state)) + ", the snapshot had "
                    + spool.messages() + " messages, sequences " + spool.firstSequence() + ".."
                    + spool.lastSequence(), null);
        }
        progress.onProgress(new CopyProgress(stream, CopyProgress.Stage.VERIFY, spool.bytes(), spool.bytes(),
                spool.chunks()));
        return state;
    }

    /**
     * Deletes what a failed restore left. The server drops an unfinished restore on its own; a restore that did
     * finish before the failure left a stream, which is removed here.
     */
    private boolean removeHalfRestored(JetStreamManagement tjsm) {
        try {
            tjsm.deleteStream(stream);
            return true;
        } catch (JetStreamApiException e) {
            return e.getApiErrorCode() == JetStreamErrorCodes.STREAM_NOT_FOUND;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private StreamInfo info(JetStreamManagement jsm, String where, CopyProgress.Stage stage) {
        try {
            return jsm.getStreamInfo(stream);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == JetStreamErrorCodes.STREAM_NOT_FOUND) {
                return null;
            }
            throw new StreamCopyException(stream, stage, stage == CopyProgress.Stage.CHECK,
                    "reading the stream on " + where + " failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new StreamCopyException(stream, stage, stage == CopyProgress.Stage.CHECK,
                    "reading the stream on " + where + " failed: " + e.getMessage(), e);
        }
    }

    private Map<String, Long> consumers(JetStreamManagement tjsm) {
        Map<String, Long> floors = new TreeMap<>();
        try {
            for (ConsumerInfo ci : tjsm.getConsumers(stream)) {
                floors.put(ci.getName(), ci.getAckFloor().getStreamSequence());
            }
        } catch (JetStreamApiException | IOException e) {
            throw new StreamCopyException(stream, CopyProgress.Stage.VERIFY, false, "the stream was restored but"
                    + " its consumers cannot be read: " + e.getMessage(), e);
        }
        return floors;
    }

    private StreamCopyResult result(StreamState state, long bytes, long chunks, String sha, Map<String, Long> cons,
                                    boolean already, long started) {
        return new StreamCopyResult(stream, state.getMsgCount(), state.getFirstSequence(), state.getLastSequence(),
                bytes, chunks, sha, cons, already, Duration.ofNanos(System.nanoTime() - started));
    }

    static boolean sameMessages(StreamState a, StreamState b) {
        return a.getMsgCount() == b.getMsgCount() && a.getFirstSequence() == b.getFirstSequence()
                && a.getLastSequence() == b.getLastSequence();
    }

    private static String describe(StreamState s) {
        return s.getMsgCount() + " messages, sequences " + s.getFirstSequence() + ".." + s.getLastSequence();
    }

    private static JetStreamManagement jsm(Connection nc, String domain) {
        try {
            return domain == null ? nc.jetStreamManagement()
                    : nc.jetStreamManagement(JetStreamOptions.builder().domain(domain).build());
        } catch (IOException e) {
            throw new IllegalStateException("JetStream management is not available on " + nc.getConnectedUrl(), e);
        }
    }

    private void requireOpen(Connection nc, String which) {
        if (nc.getStatus() == Connection.Status.CLOSED) {
            throw new StreamCopyException(stream, CopyProgress.Stage.CHECK, true, "the " + which + " connection is"
                    + " closed: pass an open connection", null);
        }
    }

    private static String api(String domain) {
        return domain == null ? "$JS.API." : "$JS." + domain + ".API.";
    }

    private static String message(Exception e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a temp file left behind is harmless; the copy's outcome matters more
            }
        }
    }

}
