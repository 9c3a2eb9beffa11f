package io.natsmigrate.dualpublish;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.primitives.JetStreamErrorCodes;
import io.natsmigrate.primitives.PermissionViolations;
import io.natsmigrate.primitives.Subjects;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the dual publisher knows of its stream's subjects: whether a JetStream subject is stored by it (checked
 * before anything is sent) and whether it listens to a legacy subject itself (one publish then serves both paths).
 */
final class StreamCoverage {

    /** Subjects remembered as covered; past this many every publish matches the filters again. */
    private static final int REMEMBERED = 10_000;

    private final Connection nc;
    private final String stream;
    private final Map<String, Boolean> listensToLegacy = new ConcurrentHashMap<>();
    /** JetStream subjects already known to be stored by the stream (cleared when the stream is re-read). */
    private final Map<String, Boolean> covered = new ConcurrentHashMap<>();
    private volatile List<String> subjects;

    StreamCoverage(Connection nc, String stream) {
        this.nc = nc;
        this.stream = stream;
    }

    /**
     * Reads the stream's subjects again.
     *
     * @throws StreamNotCoveringSubjectException when the stream does not exist
     * @throws DualPublishException when it cannot be read, with a {@code PermissionDeniedException} cause when
     *                              the user may not read it
     */
    void refresh() {
        PermissionViolations.Mark mark = PermissionViolations.mark(nc);
        try {
            StreamConfiguration c = nc.jetStreamManagement().getStreamInfo(stream).getConfiguration();
            subjects = List.copyOf(c.getSubjects());
            listensToLegacy.clear();
            covered.clear();
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == JetStreamErrorCodes.STREAM_NOT_FOUND) {
                throw new StreamNotCoveringSubjectException("*", stream, "stream " + stream + " does not exist");
            }
            throw new DualPublishException("Could not read stream " + stream + ": " + e.getMessage(), e);
        } catch (IOException e) {
            // A denied request is never answered: tell that timeout from an unreachable JetStream.
            try {
                PermissionViolations.throwIfDeniedSince(nc, mark, e);
            } catch (RuntimeException denied) {
                throw new DualPublishException("Could not read stream " + stream + ": " + denied.getMessage(),
                        denied);
            }
            throw new DualPublishException("Could not read stream " + stream + " (JetStream unreachable?): "
                    + e.getMessage(), e);
        }
    }

    /** @throws StreamNotCoveringSubjectException when the stream does not store {@code jsSubject} */
    void requireCovered(String jsSubject) {
        if (covered.containsKey(jsSubject)) {
            return;
        }
        List<String> current = subjects;
        if (current == null) {
            refresh();
            current = subjects;
        }
        if (current.stream().noneMatch(f -> Subjects.matches(f, jsSubject))) {
            throw new StreamNotCoveringSubjectException(jsSubject, stream, "its subjects are " + current);
        }
        if (covered.size() < REMEMBERED) {
            covered.put(jsSubject, Boolean.TRUE);
        }
    }

    /** True when the stream would store a Core publish on the legacy subject (same system, covered subject). */
    boolean listensTo(String legacySubject) {
        Boolean known = listensToLegacy.get(legacySubject);
        if (known != null) {
            return known;
        }
        List<String> current = subjects;
        boolean listens = current != null && current.stream().anyMatch(f -> Subjects.matches(f, legacySubject));
        if (listensToLegacy.size() < REMEMBERED) {
            listensToLegacy.put(legacySubject, listens);
        }
        return listens;
    }

    /** True when both connections reach the same server or cluster, so a Core publish can reach the stream. */
    static boolean sameSystem(Connection a, Connection b) {
        if (a == b) {
            return true;
        }
        var ia = a.getServerInfo();
        var ib = b.getServerInfo();
        if (ia == null || ib == null) {
            return false;
        }
        return ia.getServerId().equals(ib.getServerId())
                || (ia.getCluster() != null && !ia.getCluster().isEmpty() && ia.getCluster().equals(ib.getCluster()));
    }
}
