package io.natsmigrate.reliable;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.natsmigrate.primitives.Subjects;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Which stream stores a subject, learned from the server once per stream and then answered from memory, so the
 * publisher can fail fast when no stream listens and check each stream's duplicate window once.
 */
final class StreamDirectory {

    /** What is known about a subject's stream. */
    enum Lookup { FOUND, NONE, UNKNOWN }

    record StreamFacts(String name, List<String> subjects, Duration duplicateWindow, long maxMsgSize) {
        boolean covers(String subject) {
            return subjects.stream().anyMatch(f -> Subjects.matches(f, subject));
        }
    }

    record Result(Lookup lookup, StreamFacts stream) {
    }

    private static final long RETRY_LOOKUP_NANOS = Duration.ofSeconds(2).toNanos();
    private static final long RECHECK_NANOS = Duration.ofMillis(500).toNanos();

    private final JetStreamManagement jsm;
    private static final int MAX_CACHED_SUBJECTS = 10_000;

    private final List<StreamFacts> known = new CopyOnWriteArrayList<>();
    /** Subject to its stream, so the hot path does no wildcard matching for subjects seen before. */
    private final Map<String, StreamFacts> bySubject = new ConcurrentHashMap<>();
    private final Map<String, Long> failedLookupAt = new ConcurrentHashMap<>();
    private final Map<String, Long> recheckedAt = new ConcurrentHashMap<>();

    StreamDirectory(JetStreamManagement jsm) {
        this.jsm = jsm;
    }

    /** The stream for {@code subject}; asks the server only when no known stream covers it. */
    Result forSubject(String subject) {
        StreamFacts cached = bySubject.get(subject);
        if (cached != null) {
            return new Result(Lookup.FOUND, cached);
        }
        for (StreamFacts s : known) {
            if (s.covers(subject)) {
                if (bySubject.size() < MAX_CACHED_SUBJECTS) {
                    bySubject.put(subject, s);
                }
                return new Result(Lookup.FOUND, s);
            }
        }
        Long failedAt = failedLookupAt.get(subject);
        if (failedAt != null && System.nanoTime() - failedAt < RETRY_LOOKUP_NANOS) {
            return new Result(Lookup.UNKNOWN, null); // server unreachable a moment ago: do not block every publish
        }
        try {
            List<String> names = jsm.getStreamNames(subject);
            failedLookupAt.remove(subject);
            if (names.isEmpty()) {
                return new Result(Lookup.NONE, null);
            }
            StreamFacts facts = facts(jsm.getStreamInfo(names.get(0)));
            known.add(facts);
            return new Result(Lookup.FOUND, facts);
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            failedLookupAt.put(subject, System.nanoTime());
            return new Result(Lookup.UNKNOWN, null);
        }
    }

    /**
     * After "no responders" for {@code subject}: is its stream still there? Asks the server, at most once per
     * {@link #RECHECK_NANOS} per subject (an election answers no responders for seconds; one lookup per retry of
     * every waiting message would hammer the meta leader). Only a definite "no stream" forgets the cached stream:
     * while the server cannot answer, publishers keep the stream they know and never wait for a lookup. NONE only
     * when the server said so; UNKNOWN when it could not answer or was asked a moment ago.
     */
    Lookup recheck(String subject) {
        long now = System.nanoTime();
        Long last = recheckedAt.get(subject);
        if (last != null && now - last < RECHECK_NANOS) {
            return Lookup.UNKNOWN;
        }
        recheckedAt.put(subject, now);
        try {
            if (!jsm.getStreamNames(subject).isEmpty()) {
                return Lookup.FOUND;
            }
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            return Lookup.UNKNOWN;
        }
        known.removeIf(s -> s.covers(subject));
        bySubject.values().removeIf(s -> s.covers(subject));
        return Lookup.NONE;
    }

    /** Facts of a named stream, asking the server. */
    Optional<StreamFacts> byName(String stream) throws IOException, JetStreamApiException {
        for (StreamFacts s : known) {
            if (s.name().equals(stream)) {
                return Optional.of(s);
            }
        }
        StreamFacts facts = facts(jsm.getStreamInfo(stream));
        known.add(facts);
        return Optional.of(facts);
    }

    private static StreamFacts facts(StreamInfo info) {
        StreamConfiguration c = info.getConfiguration();
        return new StreamFacts(c.getName(), List.copyOf(c.getSubjects()), c.getDuplicateWindow(),
                c.getMaximumMessageSize());
    }
}
