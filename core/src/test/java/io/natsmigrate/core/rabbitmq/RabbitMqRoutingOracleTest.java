package io.natsmigrate.core.rabbitmq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.nats.client.api.StreamInfoOptions;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import io.nats.client.api.StreamState;
import io.natsmigrate.core.CoreToJetStreamRecipe;
import io.natsmigrate.core.MigrationRunner;
import io.natsmigrate.core.rabbitmq.RabbitDefinitions.Binding;
import io.natsmigrate.core.rabbitmq.RabbitDefinitions.Queue;
import io.natsmigrate.testkit.NatsServer;
import io.natsmigrate.testkit.RabbitMqBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real broker is the routing oracle. Every export under {@code rabbitmq/} and {@code rabbitmq/corpus/} is
 * imported into a real RabbitMQ (each run in vhosts of its own) and translated, provisioned on a real
 * nats-server; the same probe messages (for every binding: keys its pattern matches and one it does not, the
 * empty key, every queue name on the default exchange) go to both; then each queue's messages in RabbitMQ are
 * compared with what its stream stored. Left out of the comparison, each for a stated reason: what the report
 * lists as untranslated, stream queues (RabbitMQ serves them to consumers with offsets only), queues whose TTL
 * is under a minute (expiry would race the comparison) and the queues of alternate exchanges (reported).
 */
class RabbitMqRoutingOracleTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Exports RabbitMQ 3.10 itself refuses to import, with the words of its refusal: they are still translated and
     * provisioned, but there is nothing to compare with. Each refusal is asserted, so the list stays true.
     */
    private static final Map<String, String> BROKER_REFUSES = Map.of(
            "corpus/rabbitmq-server-case13a.json", "rabbit_stream_queue", // x-max-length on a stream queue
            "real-world-quirks.json", "not recognised policy settings",    // made-up and federation policy keys
            "untranslatable.json", "x-delayed-message",                    // the plugin is not installed
            "delayed-exchange.json", "x-delayed-message");                 // the same
    /**
     * Exports whose TTL + dead-letter queues are delay queues ({@link RabbitMqRecipe#delayQueues}): their probes
     * are compared once the TTLs have passed on both sides, so RabbitMQ's dead-lettering on expiry is the oracle
     * for the relay and its message schedules.
     */
    private static final Map<String, List<String>> DELAY_QUEUES = Map.of(
            "delay-queues.json", List.of("work.retry", "work.later"));
    private static final AtomicInteger RUNS = new AtomicInteger();
    private static RabbitMqBroker rabbit;

    @BeforeAll
    static void startBroker() {
        // Exports carry federation upstreams and shovels; without their plugins RabbitMQ refuses them.
        rabbit = RabbitMqBroker.builder().plugins("rabbitmq_federation", "rabbitmq_shovel").start();
    }

    @AfterAll
    static void stopBroker() {
        if (rabbit != null) {
            rabbit.close();
        }
    }

    static Stream<String> exports() throws IOException, URISyntaxException {
        Path dir = Path.of(RabbitMqRoutingOracleTest.class.getResource("/rabbitmq").toURI());
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(f -> f.toString().endsWith(".json"))
                    .forEach(f -> names.add(dir.relativize(f).toString().replace('\\', '/')));
        }
        return names.stream().sorted();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exports")
    void routesOnJetStreamAsTheRealBrokerDoes(String export) throws Exception {
        String text = Files.readString(Path.of(getClass().getResource("/rabbitmq/" + export).toURI()));
        RabbitDefinitions definitions = RabbitDefinitions.parse(text);
        String run = "o" + RUNS.incrementAndGet() + "_";
        Set<String> vhosts = vhostsOf(definitions);
        String refusal = BROKER_REFUSES.get(export);
        if (refusal != null) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> rabbit.importDefinitions(inOwnVhosts(text, run)))
                    .hasMessageContaining(refusal);
        } else {
            rabbit.importDefinitions(inOwnVhosts(text, run));
        }
        List<String> mismatches = new ArrayList<>();
        int compared = 0;
        int probes = 0;
        try (NatsServer server = NatsServer.start(); Connection nc = server.connect()) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            Map<String, RabbitMqMigration> migrations = new TreeMap<>();
            for (String vhost : vhosts) {
                RabbitMqMigration m = RabbitMqRecipe.from(definitions).vhost(vhost)
                        .delayQueues(vhost.equals("/") ? DELAY_QUEUES.getOrDefault(export, List.of())
                                .toArray(String[]::new) : new String[0]).build();
                try (MigrationRunner runner = m.plan().runner(nc).build()) {
                    runner.applyTo(CoreToJetStreamRecipe.PROVISION);
                }
                migrations.put(vhost, m);
            }
            List<DelayQueueRelay> relays = new ArrayList<>();
            for (RabbitMqMigration m : migrations.values()) {
                for (DelayRoute r : m.delayRoutes()) {
                    relays.add(DelayQueueRelay.start(nc, r));
                }
            }
            AtomicInteger ids = new AtomicInteger();
            for (String vhost : refusal == null ? vhosts : Set.<String>of()) {
                RabbitMqMigration m = migrations.get(vhost);
                for (var probe : probesOf(definitions, vhost).entrySet()) {
                    for (String key : probe.getValue()) {
                        String id = "p" + ids.incrementAndGet();
                        try {
                            rabbit.publish(brokerVhost(run, vhost), probe.getKey(), key, id);
                        } catch (IOException noSuchExchange) {
                            continue; // e.g. a built-in the broker does not have; neither side gets it
                        }
                        nc.jetStream().publish(m.subject(probe.getKey(), key), id.getBytes(StandardCharsets.UTF_8));
                        probes++;
                    }
                }
                String ingest = m.ingestStream().getName();
                await().atMost(Duration.ofSeconds(20)).until(() -> jsm.getStreamInfo(ingest).getStreamState()
                        .getMsgCount() == 0);
                if (!m.delayRoutes().isEmpty()) {
                    awaitDelaysPassed(jsm, m, brokerVhost(run, vhost));
                }
            }
            for (DelayQueueRelay relay : relays) {
                relay.close();
            }
            for (String vhost : refusal == null ? vhosts : Set.<String>of()) {
                RabbitMqMigration m = migrations.get(vhost);
                Set<String> excluded = excluded(definitions, vhost, m.report());
                for (var q : m.queueStreams().entrySet()) {
                    if (excluded.contains(q.getKey())) {
                        continue;
                    }
                    List<String> inRabbit = new ArrayList<>(rabbit.drain(brokerVhost(run, vhost), q.getKey()));
                    List<String> inStream = payloads(jsm, q.getValue());
                    inRabbit.sort(null);
                    inStream.sort(null);
                    compared++;
                    if (!inRabbit.equals(inStream)) {
                        mismatches.add(vhost + "/" + q.getKey() + ": RabbitMQ " + inRabbit + ", JetStream " + inStream);
                    }
                }
            }
        }
        System.out.printf("oracle %s: %d probes, %d queues compared, %d mismatches%s%n", export, probes, compared,
                mismatches.size(), refusal == null ? "" : " (RabbitMQ refuses the export: provisioned only)");
        assertThat(mismatches).as(export).isEmpty();
    }

    /**
     * Until every delayed probe has moved on: on JetStream each delay queue's stream is empty, no schedule is
     * pending and the ingest stream has passed on what fired; in RabbitMQ each delay queue is empty (read with a
     * passive declare, exact, where the management API lags by seconds).
     */
    private static void awaitDelaysPassed(JetStreamManagement jsm, RabbitMqMigration m, String brokerVhost)
            throws Exception {
        String ingest = m.ingestStream().getName();
        for (DelayRoute r : m.delayRoutes()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> jsm.getStreamInfo(r.stream()).getStreamState()
                    .getMsgCount() == 0 && pendingSchedules(jsm, r) == 0
                    && jsm.getStreamInfo(ingest).getStreamState().getMsgCount() == 0);
        }
        ConnectionFactory f = new ConnectionFactory();
        f.setUri(rabbit.amqpUri());
        f.setVirtualHost(brokerVhost);
        try (com.rabbitmq.client.Connection amqp = f.newConnection(); Channel ch = amqp.createChannel()) {
            for (DelayRoute r : m.delayRoutes()) {
                await().atMost(Duration.ofSeconds(30)).until(() -> ch.queueDeclarePassive(r.queue())
                        .getMessageCount() == 0);
            }
        }
    }

    private static long pendingSchedules(JetStreamManagement jsm, DelayRoute r) throws Exception {
        StreamInfo info = jsm.getStreamInfo(r.delayStream(), StreamInfoOptions.filterSubjects(
                r.scheduleRoot() + ".>"));
        return info.getStreamState().getSubjectCount() == 0 ? 0 : info.getStreamState().getSubjects().stream()
                .mapToLong(io.nats.client.api.Subject::getCount).sum();
    }

    private static Set<String> vhostsOf(RabbitDefinitions d) {
        Set<String> out = new LinkedHashSet<>();
        d.vhosts().forEach(v -> out.add(v.name()));
        d.queues().forEach(q -> out.add(q.vhost()));
        d.exchanges().forEach(e -> out.add(e.vhost()));
        if (out.isEmpty()) {
            out.add("/");
        }
        return out;
    }

    private static String brokerVhost(String run, String vhost) {
        return run + (vhost.equals("/") ? "root" : vhost);
    }

    /** The export with every vhost renamed to one of this run's, so exports never meet in the broker. */
    private static String inOwnVhosts(String text, String run) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(text);
        Set<String> names = new LinkedHashSet<>();
        for (String section : List.of("queues", "exchanges", "bindings", "policies", "parameters", "permissions",
                "topic_permissions")) {
            for (JsonNode item : root.path(section)) {
                if (item.has("vhost")) {
                    names.add(item.path("vhost").asText());
                    ((ObjectNode) item).put("vhost", brokerVhost(run, item.path("vhost").asText()));
                }
            }
        }
        root.path("vhosts").forEach(v -> names.add(v.path("name").asText()));
        if (names.isEmpty()) {
            names.add("/");
        }
        ArrayNode vhosts = root.putArray("vhosts");
        names.forEach(n -> vhosts.addObject().put("name", brokerVhost(run, n)));
        return JSON.writeValueAsString(root);
    }

    /**
     * Exchange to routing keys: every exchange gets the keys of every binding of the vhost (a key an
     * exchange-to-exchange binding passes on must also meet the bindings downstream), each as keys its pattern
     * matches and one it does not, plus the empty key; the default exchange gets every queue name.
     */
    private static Map<String, Set<String>> probesOf(RabbitDefinitions d, String vhost) {
        Set<String> keys = new LinkedHashSet<>(List.of("", "no.such.key"));
        for (Binding b : d.bindings()) {
            if (b.vhost().equals(vhost)) {
                String k = b.routingKey();
                keys.add(k.replace("*", "w"));
                keys.add(k.replace("#", "w.w").replace("*", "w"));
                keys.add(k.replace(".#", "").replace("#.", "").replace("#", "").replace("*", "w"));
                keys.add(k + ".extra");
            }
        }
        Map<String, Set<String>> probes = new TreeMap<>();
        Set<String> queueNames = new LinkedHashSet<>();
        d.queues().stream().filter(q -> q.vhost().equals(vhost)).map(Queue::name).forEach(queueNames::add);
        probes.put("", queueNames);
        d.exchanges().stream().filter(e -> e.vhost().equals(vhost)).forEach(e -> probes.put(e.name(), keys));
        d.bindings().stream().filter(b -> b.vhost().equals(vhost)).forEach(b -> probes.putIfAbsent(b.source(), keys));
        return probes;
    }

    private static Set<String> excluded(RabbitDefinitions d, String vhost, TranslationReport report) {
        Set<String> out = new LinkedHashSet<>();
        report.untranslated().forEach(i -> {
            out.add(i.name());
            if (i.binding() != null) {
                out.add(i.binding().destination());
            }
        });
        Set<String> alternates = new LinkedHashSet<>();
        d.exchanges().stream().filter(e -> e.vhost().equals(vhost))
                .forEach(e -> {
                    Object ae = e.arguments().get("alternate-exchange");
                    if (ae != null) {
                        alternates.add(String.valueOf(ae));
                    }
                });
        d.policies().stream().filter(p -> vhost.equals(p.vhost()))
                .map(p -> p.definition().get("alternate-exchange")).filter(java.util.Objects::nonNull)
                .forEach(ae -> alternates.add(String.valueOf(ae)));
        d.bindings().stream().filter(b -> b.vhost().equals(vhost) && alternates.contains(b.source()))
                .forEach(b -> out.add(b.destination()));
        for (Queue q : d.queues()) {
            if (!q.vhost().equals(vhost)) {
                continue;
            }
            Object ttl = q.arguments().get("x-message-ttl");
            if ("stream".equals(q.arguments().get("x-queue-type"))
                    || (ttl instanceof Number n && n.longValue() < 60_000)) {
                out.add(q.name());
            }
        }
        return out;
    }

    private static List<String> payloads(JetStreamManagement jsm, StreamConfiguration stream) throws Exception {
        StreamState state = jsm.getStreamInfo(stream.getName()).getStreamState();
        List<String> out = new ArrayList<>();
        if (state.getMsgCount() == 0) {
            return out;
        }
        for (long seq = state.getFirstSequence(); seq <= state.getLastSequence(); seq++) {
            try {
                out.add(new String(jsm.getMessage(stream.getName(), seq).getData(), StandardCharsets.UTF_8));
            } catch (JetStreamApiException deleted) {
                // a gap left by discard or a deleted message
            }
        }
        return out;
    }
}
