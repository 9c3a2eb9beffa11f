package io.natsmigrate.consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.natsmigrate.core.ClusterReplicas;
import io.natsmigrate.core.Provisioning;
import io.natsmigrate.core.StepCheck;
import io.natsmigrate.primitives.DaemonThreads;
import io.natsmigrate.primitives.JetStreamErrorCodes;
import io.natsmigrate.primitives.PermissionDeniedException;
import io.natsmigrate.primitives.PermissionViolations;
import io.natsmigrate.reliable.PermissionViolationException;
import io.natsmigrate.reliable.ReliablePublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A dead-letter queue for JetStream, which has none natively: the server only emits advisories
 * ({@code $JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.<stream>.<consumer>} and {@code ...MSG_TERMINATED...})
 * that point at a stream sequence, as plain Core messages that are lost while nobody listens.
 *
 * <ol>
 *   <li>{@link Builder#build()} provisions a <em>capture stream</em> for those advisories, so they are kept even
 *       while no DLQ process runs, and the DLQ stream (limits retention).</li>
 *   <li>{@link #start()} processes captured advisories through a durable consumer: it reads the original message
 *       by stream sequence and stores a dead letter on {@code <prefix>.<stream>.<consumer>} with the original
 *       payload and headers plus {@code DLQ-*} metadata (see {@link DeadLetter}). The dead letter's Msg-Id is
 *       {@code dlq-<stream>-<sequence>}, so processing an advisory twice stores one dead letter. If the original is
 *       gone (after AckTerm on interest or work-queue streams it may be) the dead letter carries the metadata and
 *       {@code DLQ-Original-Missing: true}. Earlier {@code DLQ-*} headers are replaced, never appended to.</li>
 *   <li>{@link #redrive} publishes dead letters again to their original subject, rate-limited, and removes them
 *       from the DLQ. A redriven message gets a new Msg-Id, {@code redrive-<dlq stream>-<dlq sequence>}: reusing
 *       the original's would be swallowed by the original stream's duplicate window, while this one is still
 *       idempotent if the same redrive is retried. The original id is kept in {@code DLQ-Original-Msg-Id}.</li>
 * </ol>
 */
public final class DeadLetterQueue implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterQueue.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MAX_DELIVER_TYPE = "io.nats.jetstream.advisory.v1.max_deliver";
    private static final String TERMINATED_TYPE = "io.nats.jetstream.advisory.v1.terminated";

    private final Connection nc;
    private final String captureStream;
    private final String dlqStream;
    private final String dlqPrefix;
    private final String processor;
    private final List<DeadLetterListener> listeners;
    private final ReliablePublisher publisher;
    private volatile boolean running;
    private final java.util.concurrent.atomic.AtomicReference<RuntimeException> failure =
            new java.util.concurrent.atomic.AtomicReference<>();
    private volatile boolean closed;
    private Thread worker;

    private DeadLetterQueue(Builder b) {
        this.nc = b.nc;
        this.captureStream = b.captureStream;
        this.dlqStream = b.dlqStream;
        this.dlqPrefix = b.dlqPrefix;
        this.processor = b.processor;
        this.listeners = List.copyOf(b.listeners);
        this.publisher = ReliablePublisher.builder(nc).build();
    }

    /** Starts configuring a DLQ on {@code nc}. */
    public static Builder builder(Connection nc) {
        return new Builder(nc);
    }

    // ------------------------------------------------------------------------------------------ processing

    /**
     * Starts processing captured advisories on a background thread; {@link #close()} stops it. Calling it again
     * while running does nothing.
     *
     * @throws IllegalStateException after {@link #close()}: build a new {@code DeadLetterQueue} to process again
     */
    public synchronized DeadLetterQueue start() {
        if (closed) {
            throw new IllegalStateException("DeadLetterQueue " + dlqStream + " is closed (its publisher with it):"
                    + " build a new one with DeadLetterQueue.builder(nc)...build().start() to process again");
        }
        if (running) {
            return this;
        }
        running = true;
        worker = DaemonThreads.create(this::run, "natsmigrate-dlq-" + dlqStream);
        worker.start();
        return this;
    }

    private void run() {
        // A fetch hands advisories over as they arrive, so a dead letter follows its failure within milliseconds.
        try {
            FetchLoop.run(nc, captureStream, processor, 100, () -> running, advisory -> {
                PermissionViolations.Mark mark = PermissionViolations.mark(nc);
                try {
                    process(advisory.getSubject(), advisory.getData());
                    advisory.ack();
                } catch (Exception e) {
                    String subject = advisory.getSubject();
                    LOG.warn("Could not dead-letter advisory {} yet: {}", subject, e.toString());
                    listeners.forEach(l -> l.processingFailed(subject, e));
                    advisory.nakWithDelay(Duration.ofSeconds(1));
                    denied(e, mark).ifPresent(d -> {
                        throw d; // retrying cannot get past a missing permission: stop, the advisory waits
                    });
                }
            });
        } catch (PermissionDeniedException e) {
            failure.set(e);
            running = false;
            LOG.error("DLQ processor {} stopped: {}", processor, e.getMessage());
        }
    }

    /**
     * Why the processor stopped by itself, if it did: a {@link PermissionDeniedException} when the server denied
     * its pull requests, acks, inbox, the read of an original message or the dead letter's publish. The captured advisories wait in the capture stream for a processor with
     * the permissions. Empty while it runs normally.
     */
    public java.util.Optional<RuntimeException> failure() {
        return java.util.Optional.ofNullable(failure.get());
    }

    /** A missing permission behind {@code e}: the dead letter's publish, or a read the server denied. */
    private java.util.Optional<PermissionDeniedException> denied(Exception e, PermissionViolations.Mark mark) {
        if (e instanceof PermissionViolationException p) {
            return java.util.Optional.of(new PermissionDeniedException(p.violation(), e));
        }
        return PermissionViolations.since(nc, mark).map(v -> new PermissionDeniedException(v, e));
    }

    /** Turns one advisory into a dead letter (idempotent). */
    void process(String advisorySubject, byte[] body) throws Exception {
        JsonNode a = JSON.readTree(body);
        String type = a.path("type").asText();
        if (!type.equals(MAX_DELIVER_TYPE) && !type.equals(TERMINATED_TYPE)) {
            return; // another advisory on a captured subject: nothing to dead-letter
        }
        String stream = a.path("stream").asText();
        String consumer = a.path("consumer").asText();
        long seq = a.path("stream_seq").asLong();
        long deliveries = a.path("deliveries").asLong();
        String reason = type.equals(MAX_DELIVER_TYPE) ? "max_deliveries" : "terminated";

        MessageInfo original = null;
        try {
            original = nc.jetStreamManagement().getMessage(stream, seq);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != JetStreamErrorCodes.NO_MESSAGE_FOUND
                    && e.getApiErrorCode() != JetStreamErrorCodes.STREAM_NOT_FOUND
                    && e.getErrorCode() != 404) {
                throw e;
            }
        }
        Headers h = new Headers();
        if (original != null && original.getHeaders() != null) {
            original.getHeaders().entrySet().stream()
                    .filter(e -> !e.getKey().startsWith("DLQ-") && !e.getKey().startsWith("Nats-"))
                    .forEach(e -> h.put(e.getKey(), e.getValue()));
            // A redriven message that dies again keeps the id of the very first original.
            String oldId = original.getHeaders().getFirst(DeadLetter.ORIGINAL_MSG_ID) != null
                    ? original.getHeaders().getFirst(DeadLetter.ORIGINAL_MSG_ID)
                    : original.getHeaders().getFirst(ReliablePublisher.MSG_ID_HEADER);
            if (oldId != null) {
                h.put(DeadLetter.ORIGINAL_MSG_ID, oldId);
            }
        }
        h.put(DeadLetter.STREAM, stream).put(DeadLetter.SEQUENCE, Long.toString(seq))
                .put(DeadLetter.CONSUMER, consumer).put(DeadLetter.DELIVERIES, Long.toString(deliveries))
                .put(DeadLetter.REASON, reason).put(DeadLetter.FAILED_TIME, instant(a.path("timestamp").asText()))
                .put(DeadLetter.SUBJECT, original != null ? original.getSubject() : subjectWithoutOriginal(a));
        if (a.hasNonNull("reason") && !a.path("reason").asText().isEmpty()) {
            h.put(DeadLetter.TERM_REASON, a.path("reason").asText());
        }
        if (a.hasNonNull("domain") && !a.path("domain").asText().isEmpty()) {
            h.put(DeadLetter.DOMAIN, a.path("domain").asText());
        }
        if (original == null) {
            h.put(DeadLetter.ORIGINAL_MISSING, "true");
        } else {
            h.put(DeadLetter.ORIGINAL_TIME, original.getTime().toInstant().toString());
        }
        h.put(ReliablePublisher.MSG_ID_HEADER, "dlq-" + stream + "-" + seq);
        byte[] data = original == null || original.getData() == null ? new byte[0] : original.getData();
        var ack = publisher.publish(io.nats.client.impl.NatsMessage.builder()
                .subject(dlqPrefix + "." + stream + "." + consumer).headers(h).data(data).build());
        if (!ack.isDuplicate()) {
            DeadLetter d = DeadLetter.from(ack.getSeqno(), h, data);
            if (original == null) {
                listeners.forEach(l -> l.originalMissing(stream, seq));
            }
            listeners.forEach(l -> l.written(d));
        }
    }

    /** An RFC 3339 time as {@link java.time.Instant#toString()}, the one format both time headers use. */
    private static String instant(String rfc3339) {
        try {
            return java.time.OffsetDateTime.parse(rfc3339).toInstant().toString();
        } catch (java.time.format.DateTimeParseException e) {
            return rfc3339; // not what nats-server writes; kept as it came rather than dropped
        }
    }

    /**
     * The original's subject when the original is gone: the advisory's own {@code subject} if a server sends one,
     * else the consumer's filter when it is one literal subject (a wildcard filter cannot tell), else empty.
     */
    private String subjectWithoutOriginal(JsonNode advisory) {
        if (advisory.hasNonNull("subject") && !advisory.path("subject").asText().isEmpty()) {
            return advisory.path("subject").asText();
        }
        try {
            ConsumerConfiguration cc = nc.jetStreamManagement().getConsumerInfo(advisory.path("stream").asText(),
                    advisory.path("consumer").asText()).getConsumerConfiguration();
            List<String> filters = cc.getFilterSubjects() == null ? List.of() : cc.getFilterSubjects();
            if (filters.size() == 1 && !filters.get(0).contains("*") && !filters.get(0).contains(">")) {
                return filters.get(0);
            }
        } catch (IOException | JetStreamApiException e) {
            LOG.debug("No consumer info for the subject of a missing original: {}", e.toString());
        }
        return "";
    }

    // ------------------------------------------------------------------------------------------ reading, redrive

    /** The dead letters now in the DLQ, oldest first. */
    public List<DeadLetter> deadLetters() {
        try {
            List<DeadLetter> out = new ArrayList<>();
            for (Message m : StreamReader.readAll(nc, dlqStream, null)) {
                out.add(DeadLetter.from(m.metaData().streamSequence(), m.getHeaders(), m.getData()));
            }
            return out;
        } catch (Exception e) {
            throw new ConsumerPatternsException("Could not read DLQ stream " + dlqStream + ": " + e.getMessage(), e);
        }
    }

    /** Publishes matching dead letters again to their original subjects and removes them from the DLQ. */
    public RedriveResult redrive(RedriveRequest request) {
        Objects.requireNonNull(request, "request");
        long redriven = 0;
        long missing = 0;
        long failed = 0;
        long intervalNanos = (long) (1e9 / request.ratePerSecond());
        long next = System.nanoTime();
        for (DeadLetter d : deadLetters()) {
            if (!request.matches(d)) {
                continue;
            }
            if (d.originalMissing()) {
                missing++;
                continue;
            }
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000)); // rate limit: one message per interval
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            next = Math.max(next, System.nanoTime()) + intervalNanos;
            Headers h = new Headers();
            d.headers().entrySet().stream().filter(e -> !e.getKey().startsWith("DLQ-") && !e.getKey().startsWith("Nats-"))
                    .forEach(e -> h.put(e.getKey(), e.getValue()));
            String originalId = d.headers().getFirst(DeadLetter.ORIGINAL_MSG_ID);
            if (originalId != null) {
                h.put(DeadLetter.ORIGINAL_MSG_ID, originalId);
            }
            h.put(DeadLetter.REDRIVEN_FROM, dlqStream + ":" + d.dlqSequence());
            h.put(ReliablePublisher.MSG_ID_HEADER, "redrive-" + dlqStream + "-" + d.dlqSequence());
            try {
                publisher.publish(io.nats.client.impl.NatsMessage.builder().subject(d.subject()).headers(h)
                        .data(d.data()).build());
                nc.jetStreamManagement().deleteMessage(dlqStream, d.dlqSequence());
                redriven++;
                listeners.forEach(l -> l.redriven(d));
            } catch (Exception e) {
                LOG.warn("Redrive of dead letter {} failed: {}", d.dlqSequence(), e.toString());
                failed++;
            }
        }
        return new RedriveResult(redriven, missing, failed);
    }

    /** Stops processing (the capture stream keeps collecting advisories). Does not close the connection. */
    @Override
    public synchronized void close() {
        closed = true;
        running = false;
        Thread w = worker;
        if (w != null) {
            try {
                w.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            publisher.close();
        } catch (RuntimeException e) {
            LOG.warn("DLQ publisher closed with unconfirmed dead letters: {}", e.getMessage());
        }
    }

    public String dlqStream() {
        return dlqStream;
    }

    public String captureStream() {
        return captureStream;
    }

    /**
     * Configures a {@link DeadLetterQueue}. Defaults: capture stream {@code DLQ_ADVISORIES}, DLQ stream {@code DLQ}
     * on subjects {@code dlq.>}, processor consumer {@code dlq-processor} with a 5 s ack wait, advisories kept 7
     * days, both streams with min(3, cluster size) replicas.
     */
    public static final class Builder {
        private final Connection nc;
        private final List<String> watched = new ArrayList<>();
        private String captureStream = "DLQ_ADVISORIES";
        private String dlqStream = "DLQ";
        private String dlqPrefix = "dlq";
        private String processor = "dlq-processor";
        private Duration keepAdvisories = Duration.ofDays(7);
        private Duration duplicateWindow = Duration.ofHours(1);
        private StorageType storage = StorageType.File;
        private int replicas;
        private Duration processorAckWait = Duration.ofSeconds(5);
        private final List<DeadLetterListener> listeners = new ArrayList<>();

        private Builder(Connection nc) {
            this.nc = Objects.requireNonNull(nc, "connection");
        }

        /** Dead-letter the failures of every consumer of {@code stream}. */
        public Builder watch(String stream) {
            watched.add(name("stream", stream) + ".*");
            return this;
        }

        /** Dead-letter the failures of one consumer. */
        public Builder watch(String stream, String consumer) {
            watched.add(name("stream", stream) + "." + name("consumer", consumer));
            return this;
        }

        public Builder captureStream(String name) {
            this.captureStream = name("capture stream", name);
            return this;
        }

        /** The DLQ stream and its subject prefix (dead letters go to {@code <prefix>.<stream>.<consumer>}). */
        public Builder dlqStream(String name, String subjectPrefix) {
            this.dlqStream = name("DLQ stream", name);
            this.dlqPrefix = name("DLQ subject prefix", subjectPrefix);
            return this;
        }

        /** The durable consumer that processes captured advisories. */
        public Builder processor(String consumerName) {
            this.processor = name("processor consumer", consumerName);
            return this;
        }

        /** How long captured advisories are kept (the longest the DLQ process may be down). */
        public Builder keepAdvisories(Duration d) {
            this.keepAdvisories = Objects.requireNonNull(d, "duration");
            return this;
        }

        /** The DLQ stream's duplicate window: re-processing an advisory within it stores no second dead letter. */
        public Builder duplicateWindow(Duration d) {
            this.duplicateWindow = Objects.requireNonNull(d, "duration");
            return this;
        }

        /**
         * Replicas of the capture and DLQ streams (default 0: {@link ClusterReplicas#defaultFor min(3, cluster size)}
         * on a clustered server, 1 on a single one), so neither advisories nor dead letters are lost with a node.
         */
        public Builder replicas(int replicas) {
            if (replicas < 0) {
                throw new IllegalArgumentException("replicas must be 1 or more (0: the default), was " + replicas);
            }
            this.replicas = replicas;
            return this;
        }

        /**
         * The processor consumer's ack wait (default 5 s): how long an advisory a crashed processor had fetched
         * waits before the next processor gets it. Turning an advisory into a dead letter takes milliseconds.
         */
        public Builder processorAckWait(Duration ackWait) {
            Objects.requireNonNull(ackWait, "ackWait");
            if (ackWait.isNegative() || ackWait.isZero()) {
                throw new IllegalArgumentException("processorAckWait must be positive, was " + ackWait);
            }
            this.processorAckWait = ackWait;
            return this;
        }

        public Builder storage(StorageType storage) {
            this.storage = Objects.requireNonNull(storage, "storage");
            return this;
        }

        public Builder listener(DeadLetterListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Provisions the capture stream, the processor consumer and the DLQ stream (create or update; never
         * recreated) and returns the DLQ, not yet processing.
         *
         * @throws ConsumerPatternsException when nothing is watched, a watched stream does not exist, or the DLQ
         *                                   stream exists with a conflicting configuration
         */
        public DeadLetterQueue build() {
            if (watched.isEmpty()) {
                throw new ConsumerPatternsException("Nothing to watch: call watch(stream) or watch(stream, consumer)");
            }
            PermissionViolations.Mark mark = PermissionViolations.mark(nc);
            try {
                var jsm = nc.jetStreamManagement();
                for (String w : watched) {
                    String stream = w.substring(0, w.indexOf('.'));
                    try {
                        jsm.getStreamInfo(stream);
                    } catch (JetStreamApiException e) {
                        if (e.getApiErrorCode() == JetStreamErrorCodes.STREAM_NOT_FOUND) {
                            throw new ConsumerPatternsException("Watched stream " + stream + " does not exist; create"
                                    + " it first or fix the name");
                        }
                        throw e;
                    }
                }
                List<String> subjects = new ArrayList<>();
                for (String w : watched) {
                    subjects.add("$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES." + w);
                    subjects.add("$JS.EVENT.ADVISORY.CONSUMER.MSG_TERMINATED." + w);
                }
                int r = ClusterReplicas.resolve(nc, replicas);
                Provisioning.ensureStream(nc, StreamConfiguration.builder().name(captureStream).subjects(subjects)
                        .storageType(storage).maxAge(keepAdvisories).replicas(r).build());
                Provisioning.ensureConsumer(nc, captureStream, ConsumerConfiguration.builder().durable(processor)
                        .ackPolicy(AckPolicy.Explicit).ackWait(processorAckWait).build());
                StreamConfiguration dlq = StreamConfiguration.builder().name(dlqStream).subjects(dlqPrefix + ".>")
                        .retentionPolicy(RetentionPolicy.Limits).storageType(storage).duplicateWindow(duplicateWindow)
                        .replicas(r).build();
                StepCheck check = Provisioning.checkStream(nc, dlq);
                if (check.status() != StepCheck.Status.MISSING) {
                    StreamConfiguration live = jsm.getStreamInfo(dlqStream).getConfiguration();
                    if (live.getRetentionPolicy() != RetentionPolicy.Limits
                            || !live.getSubjects().equals(List.of(dlqPrefix + ".>"))) {
                        throw new ConsumerPatternsException("DLQ stream " + dlqStream + " exists with a conflicting"
                                + " configuration (retention " + live.getRetentionPolicy() + ", subjects "
                                + live.getSubjects() + "): a DLQ needs limits retention on " + dlqPrefix + ".>, or"
                                + " dead letters would be removed or mixed with other messages. Choose another name"
                                + " with dlqStream(name, prefix) or fix the stream");
                    }
                }
                Provisioning.ensureStream(nc, dlq);
            } catch (ConsumerPatternsException e) {
                throw e;
            } catch (Exception e) {
                // A request the server denied is never answered: say which permission, not just "timeout".
                Exception cause = PermissionViolations.since(nc, mark)
                        .<Exception>map(v -> new PermissionDeniedException(v, e)).orElse(e);
                throw new ConsumerPatternsException("Could not provision the DLQ streams: " + cause.getMessage(),
                        cause);
            }
            return new DeadLetterQueue(this);
        }

        private static String name(String what, String value) {
            Objects.requireNonNull(value, what);
            if (!io.natsmigrate.primitives.NameRules.isToken(value)) {
                throw new IllegalArgumentException("The " + what + " \"" + value + "\" is invalid: use letters,"
                        + " digits, '_' and '-' only");
            }
            return value;
        }
    }
}
