package io.natsmigrate.dualpublish;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.impl.Headers;
import io.nats.client.support.NatsJetStreamConstants;
import io.natsmigrate.core.Gate;
import io.natsmigrate.core.GateResult;
import io.natsmigrate.primitives.DaemonThreads;
import io.natsmigrate.primitives.PermissionDeniedException;
import io.natsmigrate.primitives.PermissionViolation;
import io.natsmigrate.primitives.PermissionViolations;
import io.natsmigrate.primitives.Subjects;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Compares the legacy path with JetStream, Scientist-style: it listens to both without side effects (a plain Core
 * subscription, and an ordered consumer that acknowledges nothing and starts at new messages), correlates the
 * messages by {@code Nats-Msg-Id} within a time window and classifies every divergence.
 *
 * <pre>{@code
 * try (ParityVerifier verifier = ParityVerifier.builder()
 *         .legacy(oldNc, "events").jetStream(newNc, "run-completion-events").window(Duration.ofSeconds(5))
 *         .build()) {
 *     plan = CoreToJetStreamRecipe.named(...).parityGate(verifier.gate(0.999, 1000, Duration.ofMinutes(10)))...;
 *     System.out.println(verifier.report().toText());
 * }
 * }</pre>
 *
 * A legacy path that is not NATS feeds the verifier through {@link #observeLegacy}.
 */
public final class ParityVerifier implements AutoCloseable {

    private static final int SAMPLES_PER_CLASS = 5;
    private static final int SETTLED_MEMORY = 100_000;
    private static final int LATENCY_SAMPLES = 100_000;

    private final Duration window;
    private final Map<String, Entry> open = new ConcurrentHashMap<>();
    /** How each recently settled Msg-Id ended, so a copy arriving after its window can be told from a duplicate. */
    private final Map<String, Settled> settled = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Settled> eldest) {
            return size() > SETTLED_MEMORY;
        }
    });
    private final Map<String, long[]> orderBySubject = new ConcurrentHashMap<>();
    private final Map<String, Long> legacyArrivals = new ConcurrentHashMap<>();
    private final Map<String, Long> jsArrivals = new ConcurrentHashMap<>();
    private final Counts counts = new Counts();
    private final ScheduledExecutorService sweeper;
    private final Dispatcher legacyDispatcher;
    private final Connection legacyNc;
    private final Dispatcher jsDispatcher;
    private final JetStreamSubscription jsSubscription;
    /**
     * When both subscriptions were active. A message seen earlier may have been published before the second one
     * started (the ordered consumer starts at new messages), so it is not judged.
     */
    private volatile long readyAt;
    private final java.util.Set<String> seenBeforeReady = ConcurrentHashMap.newKeySet();

    private ParityVerifier(Builder b) throws IOException, JetStreamApiException, InterruptedException,
            java.util.concurrent.TimeoutException {
        this.window = b.window;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("natsmigrate-parity-sweeper"));
        long tick = Math.max(20, window.toMillis() / 10);
        sweeper.scheduleAtFixedRate(() -> sweep(false), tick, tick, TimeUnit.MILLISECONDS);
        this.legacyNc = b.legacyNc;
        if (b.legacyNc != null) {
            legacyDispatcher = b.legacyNc.createDispatcher(m -> observeLegacy(m.getSubject(), m.getHeaders(), m.getData()));
            legacyDispatcher.subscribe(b.legacySubject);
            b.legacyNc.flush(Duration.ofSeconds(5));
        } else {
            legacyDispatcher = null;
        }
        jsDispatcher = b.jsNc.createDispatcher();
        PushSubscribeOptions options = PushSubscribeOptions.builder().stream(b.stream).ordered(true)
                .configuration(ConsumerConfiguration.builder().deliverPolicy(DeliverPolicy.New).build()).build();
        jsSubscription = b.jsNc.jetStream().subscribe(b.jsFilter, jsDispatcher,
                m -> observe(false, m.getSubject(), m.getHeaders(), m.getData()), false, options);
        b.jsNc.flush(Duration.ofSeconds(5));
        if (b.legacyNc != null) {
            // Whatever the server routed to the legacy subscription before the ordered consumer existed arrives
            // before this flush returns, and so before readyAt.
            b.legacyNc.flush(Duration.ofSeconds(5));
        }
        readyAt = System.nanoTime();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Records a message seen on the legacy path (for legacy paths that are not NATS). */
    public void observeLegacy(String subject, Headers headers, byte[] data) {
        observe(true, subject, headers, data);
    }

    private void observe(boolean legacy, String subject, Headers headers, byte[] data) {
        long now = System.nanoTime();
        String msgId = headers == null ? null : headers.getFirst(NatsJetStreamConstants.MSG_ID_HDR);
        if (readyAt == 0 || now < readyAt) {
            if (msgId != null) {
                seenBeforeReady.add(msgId); // its other copy may be out of sight: never judge this one
            }
            return;
        }
        if (msgId != null && !seenBeforeReady.isEmpty() && seenBeforeReady.contains(msgId)) {
            return;
        }
        if (msgId == null) {
            counts.uncorrelated++;
            return;
        }
        long index = (legacy ? legacyArrivals : jsArrivals).merge(subject, 1L, Long::sum);
        if (settled.containsKey(msgId)) {
            afterWindow(legacy, msgId, subject);
            return;
        }
        Entry e = open.computeIfAbsent(msgId, id -> new Entry(id, now));
        synchronized (e) {
            if (e.settled) {
                // The sweeper closed this window between the lookup and the lock.
                afterWindow(legacy, msgId, subject);
                return;
            }
            if (legacy ? e.legacyAt != 0 : e.jsAt != 0) {
                duplicate(legacy, msgId, subject);
                return;
            }
            if (legacy) {
                e.legacyAt = now;
                e.legacySubject = subject;
                e.legacyHeaders = headers;
                e.legacyData = data;
                e.legacyIndex = index;
            } else {
                e.jsAt = now;
                e.jsSubject = subject;
                e.jsHeaders = headers;
                e.jsData = data;
                e.jsIndex = index;
            }
            if (e.legacyAt != 0 && e.jsAt != 0) {
                checkOrder(e);
            }
        }
    }

    /**
     * A copy that arrives after its Msg-Id was settled: late when the other side had been settled as missing this
     * one (a delayed delivery, e.g. an ordered consumer resetting, is not a loss), otherwise a duplicate.
     */
    private synchronized void afterWindow(boolean legacy, String msgId, String subject) {
        Settled was = settled.get(msgId);
        if (was == (legacy ? Settled.ONLY_JETSTREAM : Settled.ONLY_LEGACY)) {
            if (legacy) {
                counts.missingInLegacy--;
            } else {
                counts.missingInJetStream--;
            }
            counts.matched++;
            counts.late++;
            settled.put(msgId, Settled.MATCHED);
            sample("late-" + (legacy ? "legacy" : "jetstream"), msgId, subject);
        } else {
            duplicate(legacy, msgId, subject);
        }
    }

    private synchronized void duplicate(boolean legacy, String msgId, String subject) {
        if (legacy) {
            counts.duplicatesLegacy++;
        } else {
            counts.duplicatesJetStream++;
        }
        sample("duplicate-" + (legacy ? "legacy" : "jetstream"), msgId, subject);
    }

    /** Compares the pair's positions with the latest pair of the same legacy subject. */
    private void checkOrder(Entry e) {
        long[] last = orderBySubject.computeIfAbsent(e.legacySubject, s -> new long[]{0, 0});
        synchronized (last) {
            if (last[0] != 0 && ((e.legacyIndex > last[0] && e.jsIndex < last[1])
                    || (e.legacyIndex < last[0] && e.jsIndex > last[1]))) {
                synchronized (this) {
                    counts.orderInversions++;
                    sample("order-inversion", e.msgId, e.legacySubject);
                }
            }
            if (e.legacyIndex > last[0]) {
                last[0] = e.legacyIndex;
                last[1] = e.jsIndex;
            }
        }
    }

    /** Settles every entry whose window has closed (all of them when {@code everything}). */
    private void sweep(boolean everything) {
        long cutoff = System.nanoTime() - window.toNanos();
        for (Entry e : List.copyOf(open.values())) {
            synchronized (e) {
                if (!everything && e.firstAt > cutoff) {
                    continue;
                }
                // Settled before it leaves the open map, so a copy arriving now finds one or the other.
                e.settled = true;
                settle(e);
                open.remove(e.msgId);
            }
        }
    }

    private synchronized void settle(Entry e) {
        settled.put(e.msgId, e.legacyAt != 0 && e.jsAt != 0 ? Settled.MATCHED
                : e.legacyAt != 0 ? Settled.ONLY_LEGACY : Settled.ONLY_JETSTREAM);
        if (e.legacyAt != 0 && e.jsAt != 0) {
            counts.matched++;
            double delta = (e.jsAt - e.legacyAt) / 1e6;
            // Bounded memory on long runs: keep a uniform sample of the deltas (reservoir sampling).
            if (counts.latencies.size() < LATENCY_SAMPLES) {
                counts.latencies.add(delta);
            } else {
                long slot = java.util.concurrent.ThreadLocalRandom.current().nextLong(counts.matched);
                if (slot < LATENCY_SAMPLES) {
                    counts.latencies.set((int) slot, delta);
                }
            }
            if (!Arrays.equals(e.legacyData, e.jsData)) {
                counts.payloadDiffs++;
                sample("payload-diff", e.msgId, e.legacySubject);
            }
            if (!appHeaders(e.legacyHeaders).equals(appHeaders(e.jsHeaders))) {
                counts.headerDiffs++;
                sample("header-diff", e.msgId, e.legacySubject + " " + appHeaders(e.legacyHeaders) + " vs "
                        + appHeaders(e.jsHeaders));
            }
        } else if (e.legacyAt != 0) {
            counts.missingInJetStream++;
            sample("missing-in-jetstream", e.msgId, e.legacySubject);
        } else {
            counts.missingInLegacy++;
            sample("missing-in-legacy", e.msgId, e.jsSubject);
        }
    }

    private static Map<String, List<String>> appHeaders(Headers h) {
        Map<String, List<String>> m = new TreeMap<>();
        if (h != null) {
            h.entrySet().stream().filter(x -> !x.getKey().startsWith("Nats-"))
                    .forEach(x -> m.put(x.getKey(), List.copyOf(x.getValue())));
        }
        return m;
    }

    private void sample(String kind, String msgId, String detail) {
        long n = counts.samplesPerKind.merge(kind, 1L, Long::sum);
        if (n <= SAMPLES_PER_CLASS) {
            counts.samples.add(kind + ": " + msgId + " on " + detail);
        }
    }

    /** The counts so far (messages still inside their window are only counted as pending). */
    public synchronized ParityReport report() {
        List<Double> l = new ArrayList<>(counts.latencies);
        Collections.sort(l);
        return new ParityReport(counts.matched, counts.late, counts.missingInJetStream, counts.missingInLegacy,
                counts.duplicatesLegacy, counts.duplicatesJetStream, counts.payloadDiffs, counts.headerDiffs,
                counts.orderInversions, counts.uncorrelated, open.size(), percentile(l, 50), percentile(l, 99),
                counts.samples);
    }

    /** Closes every open window now (messages missing a side are counted as missing) and reports. */
    public ParityReport settleNow() {
        sweep(true);
        return report();
    }

    private static double percentile(List<Double> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    /**
     * A plan gate: passes once at least {@code minMessages} were matched, parity is at least {@code minParity} and
     * nothing was duplicated or changed.
     */
    public Gate gate(double minParity, long minMessages, Duration timeout) {
        if (minParity < 0 || minParity > 1) {
            throw new IllegalArgumentException("minParity must be within 0..1, was " + minParity);
        }
        return Gate.of("parity >= " + minParity + " over " + minMessages + " messages", timeout, nc -> {
            ParityReport r = report();
            boolean ok = r.matched() >= minMessages && r.parity() >= minParity && r.duplicatesJetStream() == 0
                    && r.payloadDiffs() == 0 && r.headerDiffs() == 0;
            return new GateResult(ok, r.toText().lines().findFirst().orElse(""));
        });
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        try {
            jsSubscription.unsubscribe();
        } catch (RuntimeException ignored) {
            // connection already closed
        }
        if (legacyDispatcher != null) {
            try {
                legacyNc.closeDispatcher(legacyDispatcher);
            } catch (RuntimeException ignored) {
                // connection already closed
            }
        }
    }

    /** How a settled Msg-Id ended. */
    private enum Settled { MATCHED, ONLY_LEGACY, ONLY_JETSTREAM }

    /** Correlation state of one Msg-Id. */
    private static final class Entry {
        final String msgId;
        final long firstAt;
        boolean settled;
        long legacyAt;
        long jsAt;
        String legacySubject;
        String jsSubject;
        Headers legacyHeaders;
        Headers jsHeaders;
        byte[] legacyData;
        byte[] jsData;
        long legacyIndex;
        long jsIndex;

        Entry(String msgId, long firstAt) {
            this.msgId = msgId;
            this.firstAt = firstAt;
        }
    }

    /** Running totals, guarded by the verifier's monitor. */
    private static final class Counts {
        long matched;
        long late;
        long missingInJetStream;
        long missingInLegacy;
        long duplicatesLegacy;
        long duplicatesJetStream;
        long payloadDiffs;
        long headerDiffs;
        long orderInversions;
        volatile long uncorrelated;
        final List<Double> latencies = new ArrayList<>();
        final List<String> samples = new ArrayList<>();
        final Map<String, Long> samplesPerKind = new ConcurrentHashMap<>();
    }

    /** Configures a {@link ParityVerifier}. */
    public static final class Builder {
        private Connection legacyNc;
        private String legacySubject;
        private Connection jsNc;
        private String stream;
        private String jsFilter;
        private Duration window = Duration.ofSeconds(5);

        /** Subscribe to the legacy NATS subject (may be a wildcard) on {@code nc}. Omit to feed {@code observeLegacy}. */
        public Builder legacy(Connection nc, String subjectFilter) {
            this.legacyNc = Objects.requireNonNull(nc, "connection");
            this.legacySubject = Subjects.requireFilter(subjectFilter);
            return this;
        }

        /** Read the stream's new messages through an ordered consumer (no acks, no durable state). */
        public Builder jetStream(Connection nc, String stream) {
            return jetStream(nc, stream, null);
        }

        /** As {@link #jetStream(Connection, String)}, only messages on {@code filterSubject}. */
        public Builder jetStream(Connection nc, String stream, String filterSubject) {
            this.jsNc = Objects.requireNonNull(nc, "connection");
            this.stream = Objects.requireNonNull(stream, "stream");
            this.jsFilter = filterSubject == null ? null : Subjects.requireFilter(filterSubject);
            return this;
        }

        /** How long to wait for the other path's copy before calling a message missing (default 5 s). */
        public Builder window(Duration window) {
            Objects.requireNonNull(window, "window");
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("window must be positive, was " + window);
            }
            this.window = window;
            return this;
        }

        /**
         * Subscribes to both paths and starts correlating.
         *
         * @throws DualPublishException when the JetStream side is missing or unreachable
         */
        public ParityVerifier build() {
            if (jsNc == null) {
                throw new DualPublishException("No JetStream side: call jetStream(connection, stream)");
            }
            PermissionViolations.Mark jsMark = PermissionViolations.mark(jsNc);
            PermissionViolations.Mark legacyMark = legacyNc == null ? null : PermissionViolations.mark(legacyNc);
            try {
                ParityVerifier v = new ParityVerifier(this);
                // A denied subscription is reported before the flush that ended start-up returns; without this
                // check the verifier would see nothing on that path and report every message as missing.
                Optional<PermissionDeniedException> denied = denied(jsMark, legacyMark, null);
                if (denied.isPresent()) {
                    v.close();
                    throw denied.get();
                }
                return v;
            } catch (PermissionDeniedException e) {
                throw new DualPublishException("Could not start the parity verifier: " + e.getMessage(), e);
            } catch (JetStreamApiException e) {
                throw new StreamNotCoveringSubjectException(jsFilter == null ? ">" : jsFilter, stream,
                        "the server says: " + e.getErrorDescription());
            } catch (IOException | InterruptedException | java.util.concurrent.TimeoutException | RuntimeException e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                Exception cause = denied(jsMark, legacyMark, e).<Exception>map(d -> d).orElse(e);
                throw new DualPublishException("Could not start the parity verifier: " + cause.getMessage(), cause);
            }
        }

        /** A permissions violation either path's server reported since the marks, as the exception to throw. */
        private Optional<PermissionDeniedException> denied(PermissionViolations.Mark jsMark,
                                                           PermissionViolations.Mark legacyMark, Exception cause) {
            Optional<PermissionViolation> v = PermissionViolations.since(jsNc, jsMark);
            if (v.isEmpty() && legacyNc != null) {
                v = PermissionViolations.since(legacyNc, legacyMark);
            }
            return v.map(violation -> new PermissionDeniedException(violation, cause));
        }
    }
}
