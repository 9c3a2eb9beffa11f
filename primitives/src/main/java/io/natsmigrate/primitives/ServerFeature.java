package io.natsmigrate.primitives;

import io.nats.client.Connection;
import io.nats.client.api.ServerInfo;

import java.util.Objects;

/** Server features that arrived in a known nats-server release, with a check against a live connection. */
public enum ServerFeature {
    /** Message tracing ({@code Nats-Trace-Dest}, {@code Nats-Trace-Only}). */
    MESSAGE_TRACE("2.11.0", "Message tracing"),
    /** Consumer pause and resume. */
    CONSUMER_PAUSE("2.11.0", "Consumer pause"),
    /** Consumer priority groups, with the overflow and pinned-client policies. */
    PRIORITY_GROUPS("2.11.0", "Consumer priority groups"),
    /** {@code Nats-Expected-Last-Subject-Sequence-Subject}. */
    EXPECTED_LAST_SUBJECT_SEQUENCE_SUBJECT("2.11.0", "Expected last subject sequence on a filter subject"),
    /** Atomic batch publish (stream {@code allow_atomic}). */
    ATOMIC_BATCH("2.12.0", "Atomic batch publish"),
    /** {@code Nats-Msg-Id} on messages inside an atomic batch. */
    ATOMIC_BATCH_MSG_ID("2.12.1", "Nats-Msg-Id inside an atomic batch"),
    /** Committing a batch with {@code Nats-Batch-Commit: eob} (no final message stored). */
    ATOMIC_BATCH_EOB_COMMIT("2.14.0", "Committing an atomic batch without a final message (eob)"),
    /** Distributed counters (stream {@code allow_msg_counter}). */
    COUNTERS("2.12.0", "Distributed counters"),
    /**
     * Message schedules (stream {@code allow_msg_schedules}; {@code Nats-Schedule: @at <RFC 3339 time>} and
     * {@code Nats-Schedule-Target}). An older server ignores the stream setting and stores a schedule as a plain
     * message that never fires, so a plan that needs it must check first.
     */
    MESSAGE_SCHEDULES("2.12.0", "Message schedules"),
    /**
     * Durable stream sourcing: a source that reads through a durable consumer with the {@code flow_control} ack
     * policy (ADR-58), which keeps its position on the origin, so sourcing from an interest or work-queue stream
     * loses nothing when a leader fails.
     */
    DURABLE_SOURCING("2.14.0", "Durable stream sourcing");

    private final String minimumVersion;
    private final String description;

    ServerFeature(String minimumVersion, String description) {
        this.minimumVersion = minimumVersion;
        this.description = description;
    }

    /** The first release with the feature. */
    public String minimumVersion() {
        return minimumVersion;
    }

    /** What the feature is, for messages. */
    public String description() {
        return description;
    }

    /** True when the server {@code nc} is connected to has this feature. */
    public boolean isSupportedBy(Connection nc) {
        ServerInfo info = serverInfo(nc);
        return info.isSameOrNewerThanVersion(minimumVersion);
    }

    /**
     * Checks the connected server.
     *
     * @throws ServerTooOldException naming the feature and both versions
     */
    public void requireSupportedBy(Connection nc) {
        ServerInfo info = serverInfo(nc);
        if (!info.isSameOrNewerThanVersion(minimumVersion)) {
            throw new ServerTooOldException(this, info.getVersion());
        }
    }

    private static ServerInfo serverInfo(Connection nc) {
        Objects.requireNonNull(nc, "connection");
        ServerInfo info = nc.getServerInfo();
        if (info == null) {
            throw new IllegalStateException("The connection has no server info (not connected yet?); connect first");
        }
        return info;
    }
}
