package io.natsmigrate.core.rabbitmq;

import io.natsmigrate.core.Names;
import io.natsmigrate.core.Steps;
import io.natsmigrate.primitives.Durations;
import io.natsmigrate.primitives.Subjects;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Turns a RabbitMQ definitions export into a JetStream migration plan for one vhost.
 *
 * <ul>
 *   <li>An <em>ingest</em> stream (interest retention) takes every exchange's subjects,
 *       {@code <prefix>.<exchange>.<routing key words>} (see {@link AmqpSubjects}); publishers write there.</li>
 *   <li>Each queue becomes a stream that sources the ingest stream through one durable consumer per binding
 *       (filtered on the binding's subject; see {@link #durableSources}), so a message
 *       routed to three queues is copied to three streams, as in RabbitMQ, and a message routed nowhere is
 *       dropped (no interest). Work-queue retention, or limits for {@code x-queue-type: stream} and for queues
 *       with a dead-letter exchange (a work-queue stream deletes a message on {@code term()} before the DLQ can
 *       copy it); {@code
 *       x-message-ttl} becomes max age, {@code x-max-length} max messages, {@code x-max-length-bytes} max bytes,
 *       {@code x-overflow} the discard policy, {@code x-delivery-limit} the consumer's max deliveries; policies
 *       apply by pattern, {@code apply-to} (queue type) and priority, and where both set a limit the lower wins,
 *       as in RabbitMQ; {@code x-max-age} of stream queues becomes max age. Policy keys with no equivalent are
 *       reported on the policy and never reject a queue.</li>
 *   <li>Each queue gets a durable pull consumer with explicit acks.</li>
 *   <li>Direct bindings match the key exactly, fanout bindings everything of the exchange, topic bindings
 *       translate {@code *} to {@code *} and a trailing {@code #} to {@code >} (plus the prefix alone); the empty
 *       routing key is no word, as in RabbitMQ. A queue's filters are made disjoint, because JetStream copies a
 *       message once per matching source while RabbitMQ delivers it once ({@link BindingFilters}). The built-in
 *       exchanges ({@code amq.direct}, {@code amq.topic}, {@code amq.fanout}; the headers ones are reported) are
 *       known without being in the export.</li>
 *   <li>{@code x-dead-letter-exchange}: the queues bound to that exchange source the DLQ subject of the
 *       dead-lettering queue's consumer ({@link DeadLetterRoute}).</li>
 *   <li>Delay queues named in {@link #delayQueues} (TTL + dead-letter exchange, nothing consumes them): a
 *       {@link DelayQueueRelay} turns each message into a message schedule due after the TTL, which fires back
 *       onto the dead-letter exchange's subject ({@link DelayRoute}).</li>
 * </ul>
 *
 * Exchange-to-exchange bindings become more filters of the queues downstream: the keys every binding on the way
 * accepts, on the subjects of the exchange published to ({@link ExchangeBindings}). Headers exchanges, alternate
 * exchanges (argument or policy), priorities, queue expiry and unknown arguments are not translated; {@link TranslationReport} lists each
 * with the reason, every one of them, sorted, so the report is the same in every run.
 *
 * <p>Defaults per vhost, so several vhosts can be migrated onto one server: subject prefix {@code amqp} and
 * stream prefix {@code Q_} for {@code /}; {@code amqp_<vhost>} and {@code Q_<vhost>_} for any other (the vhost
 * name escaped as a subject token, and cleaned for stream names).
 *
 * <pre>{@code
 * RabbitMqMigration m = RabbitMqRecipe.from(RabbitDefinitions.read(Path.of("definitions.json")))
 *         .vhost("/").subjectPrefix("amqp").build();
 * System.out.println(m.report().toText());
 * try (MigrationRunner runner = m.plan().runner(nc).build()) {
 *     runner.applyTo(CoreToJetStreamRecipe.PROVISION);
 * }
 * }</pre>
 */
public final class RabbitMqRecipe {

    private final RabbitDefinitions definitions;
    private String vhost = "/";
    private String planName;
    private String subjectPrefix;
    private String ingestStream;
    private String streamPrefix;
    private String dlqStream = "DLQ";
    private String dlqPrefix = "dlq";
    private Duration ingestMaxAge = Duration.ofHours(24);
    private Steps.Action decommission = Steps.Action.NONE;
    private Set<String> delayQueues = Set.of();
    private int replicas;
    private boolean durableSources = true;
    private Duration maxMessageDelay = Duration.ofDays(7);

    private RabbitMqRecipe(RabbitDefinitions definitions) {
        this.definitions = definitions;
    }

    /** Starts a translation of {@code definitions}. */
    public static RabbitMqRecipe from(RabbitDefinitions definitions) {
        return new RabbitMqRecipe(Objects.requireNonNull(definitions, "definitions"));
    }

    /** The vhost to translate (default {@code /}). */
    public RabbitMqRecipe vhost(String vhost) {
        this.vhost = Objects.requireNonNull(vhost, "vhost");
        return this;
    }

    /**
     * First subject token(s) of every translated subject (default {@code amqp} for vhost {@code /},
     * {@code amqp_<vhost>} for others, so two vhosts on one server never share subjects).
     */
    public RabbitMqRecipe subjectPrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        Subjects.requirePublishSubject(prefix);
        this.subjectPrefix = prefix;
        return this;
    }

    /** Name of the ingest stream (default {@code AMQP}, or {@code AMQP_<vhost>} for other vhosts). */
    public RabbitMqRecipe ingestStream(String name) {
        this.ingestStream = Names.requireStreamName("ingest stream", name);
        return this;
    }

    /** The plan's name (default {@code rabbitmq-<vhost>}, {@code rabbitmq-default} for {@code /}). */
    public RabbitMqRecipe planName(String name) {
        this.planName = Names.requireToken("plan name", name);
        return this;
    }

    /** Prefix of the queue streams' names (default {@code Q_}, or {@code Q_<vhost>_} for other vhosts). */
    public RabbitMqRecipe streamPrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix (\"\" for none)");
        if (!prefix.isEmpty()) {
            Names.requireStreamName("stream prefix", prefix);
        }
        this.streamPrefix = prefix;
        return this;
    }

    /** The DLQ stream and subject prefix of the consumer-patterns {@code DeadLetterQueue} (default DLQ, dlq). */
    public RabbitMqRecipe deadLetters(String stream, String subjectPrefix) {
        this.dlqStream = Names.requireStreamName("DLQ stream", stream);
        this.dlqPrefix = Names.requireToken("DLQ subject prefix", subjectPrefix);
        return this;
    }

    /** How long the ingest stream keeps a message no queue stream has copied yet (default 24 h). */
    public RabbitMqRecipe ingestMaxAge(Duration maxAge) {
        this.ingestMaxAge = Durations.requirePositive("ingestMaxAge", maxAge);
        return this;
    }

    /**
     * Queues that hold messages for their TTL and then dead-letter them on: RabbitMQ's TTL + dead-letter delay
     * (or retry) queue, which nothing consumes. Default none: an export cannot say whether anything consumes a
     * queue, and for a consumed queue the TTL is an expiry. Each must have {@code x-message-ttl} and
     * {@code x-dead-letter-exchange} (argument or policy). Their messages are delivered after the TTL through
     * message schedules (nats-server 2.12+, checked by the plan's preflight) by a {@link DelayQueueRelay} the
     * application runs ({@link DelayRoute}).
     *
     * @throws DefinitionsException from {@link #build()} when one is not a queue of the vhost or lacks the TTL or
     *                              the dead-letter exchange
     */
    public RabbitMqRecipe delayQueues(String... queues) {
        Objects.requireNonNull(queues, "queues");
        for (String q : queues) {
            Objects.requireNonNull(q, "a delay queue name is null");
        }
        this.delayQueues = Set.copyOf(java.util.Arrays.asList(queues));
        return this;
    }

    /**
     * Replicas of every stream the plan creates (ingest, queues, DLQ, delay). Default 0: chosen by the server the
     * plan is applied to, min(3, cluster size) on a cluster and 1 on a single server, so a queue survives a node's
     * restart as a quorum queue does. More replicas cost a write to each; fewer than 3 on a cluster lose the
     * queue's availability (R1) or its quorum (R2) with one node.
     *
     * @throws IllegalArgumentException for a negative count
     */
    public RabbitMqRecipe replicas(int replicas) {
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas must be 1 or more, or 0 for min(3, cluster size); was "
                    + replicas);
        }
        this.replicas = replicas;
        return this;
    }

    /**
     * Whether the streams source each other through durable consumers on the origin (default true; nats-server
     * 2.14+, checked by preflight). The ingest stream has interest retention and the queue streams work-queue
     * retention: with the server's ephemeral source consumers, a message in flight when a leader fails is gone
     * from the origin and never arrives (measured on the testkit's cluster: 33 and 66 of 300 lost in two runs
     * with leader kills; none with durable sources). Turn off only for a server before 2.14, and accept that
     * risk (the report says so).
     */
    public RabbitMqRecipe durableSources(boolean durable) {
        this.durableSources = durable;
        return this;
    }

    /**
     * The longest delay {@link RabbitMqMigration#delayedMessage} accepts for a delayed-message exchange (default
     * 7 days). The delay stream keeps messages that long plus the ingest max age, so a schedule is never removed
     * before it fires; a longer delay is refused rather than lost. Raising it keeps fired messages longer too.
     */
    public RabbitMqRecipe maxMessageDelay(Duration maxDelay) {
        this.maxMessageDelay = Durations.requirePositive("maxMessageDelay", maxDelay);
        return this;
    }

    /** What decommissioning RabbitMQ does (default: only records it). Irreversible. */
    public RabbitMqRecipe decommission(Steps.Action action) {
        this.decommission = Objects.requireNonNull(action, "action");
        return this;
    }

    /**
     * Translates.
     *
     * @throws DefinitionsException when the vhost is not in the export, or the export has nothing of it
     */
    public RabbitMqMigration build() {
        boolean root = vhost.equals("/");
        String vhostName = StreamNaming.clean(vhost);
        String plan = planName != null ? planName
                : "rabbitmq-" + (root ? "default" : vhost.replaceAll("[^A-Za-z0-9_-]", "_"));
        TranslationSettings settings = new TranslationSettings(plan, vhost,
                subjectPrefix != null ? subjectPrefix : root ? "amqp" : "amqp_" + AmqpSubjects.word(vhost),
                ingestStream != null ? ingestStream : root ? "AMQP" : "AMQP_" + vhostName,
                streamPrefix != null ? streamPrefix : root ? "Q_" : "Q_" + vhostName + "_",
                dlqStream, dlqPrefix, ingestMaxAge, decommission, delayQueues, replicas, durableSources, maxMessageDelay);
        return new Translation(definitions, settings).run();
    }
}
