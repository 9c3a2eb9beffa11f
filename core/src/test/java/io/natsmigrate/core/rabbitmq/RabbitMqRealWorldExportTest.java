package io.natsmigrate.core.rabbitmq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.natsmigrate.core.CoreToJetStreamRecipe;
import io.natsmigrate.core.MigrationRunner;
import io.natsmigrate.core.rabbitmq.TranslationReport.ElementKind;
import io.natsmigrate.testkit.NatsTest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.natsmigrate.testkit.NatsAssertions.assertThatStream;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What exports from real projects bring that hand-written ones did not: policies with keys that have no JetStream
 * equivalent, alternate exchanges set by policy, built-in exchanges, the empty routing key, several vhosts on one
 * server, stream queues' max age, a queue with several unsupported arguments, overlapping bindings.
 */
class RabbitMqRealWorldExportTest {

    static final String EXPORT = "real-world-quirks.json";

    @Test
    void policyKeysWithoutAnEquivalentAreReportedOnceOnThePolicyAndNeverRejectAQueue() throws Exception {
        RabbitMqMigration m = RabbitMqRecipe.from(RabbitMqRecipeTest.load(EXPORT)).build();
        assertThat(m.queueStreams()).containsOnlyKeys("created", "everything", "keyless", "stomp", "by-header",
                "audit-log", "audit-archive");
        TranslationReport r = m.report();
        assertThat(r.untranslated()).filteredOn(i -> i.kind() == ElementKind.POLICY)
                .extracting(i -> i.name() + "/" + i.argument())
                .containsExactly("ha-all/expires", "ha-all/federation-upstream-set", "ha-all/made-up-key");
        assertThat(r.differences()).filteredOn(i -> i.kind() == ElementKind.POLICY)
                .extracting(i -> i.name() + "/" + i.argument())
                .containsExactly("ha-all/ha-mode", "ha-all/ha-sync-batch-size", "ha-all/ha-sync-mode");
    }

    @Test
    void everyUnsupportedArgumentOfAQueueIsListedAndTheReportIsSorted() throws Exception {
        TranslationReport r = RabbitMqRecipe.from(RabbitMqRecipeTest.load(EXPORT)).build().report();
        assertThat(r.untranslated()).filteredOn(i -> i.name().equals("picky")).extracting(i -> i.argument())
                .containsExactly("x-expires", "x-foo", "x-max-priority");
        assertThat(r.untranslated()).isSortedAccordingTo(java.util.Comparator
                .comparing(TranslationReport.Item::kind).thenComparing(TranslationReport.Item::name));
        assertThat(r.untranslated()).doesNotHaveDuplicates();
        assertThat(r.differences()).doesNotHaveDuplicates();
    }

    @Test
    void anAlternateExchangeSetByAPolicyIsReportedNotDropped() throws Exception {
        TranslationReport r = RabbitMqRecipe.from(RabbitMqRecipeTest.load(EXPORT)).build().report();
        assertThat(r.untranslated()).filteredOn(i -> i.kind() == ElementKind.EXCHANGE && i.name().equals("orders"))
                .singleElement().satisfies(i -> {
                    assertThat(i.argument()).isEqualTo("alternate-exchange");
                    assertThat(i.reason()).contains("orders.unrouted", "from policy unroutable", "amqp.orders.>");
                });
    }

    @Test
    void builtInExchangesAreKnownWithoutBeingInTheExport() throws Exception {
        RabbitMqMigration m = RabbitMqRecipe.from(RabbitMqRecipeTest.load(EXPORT)).build();
        assertThat(m.queueFilters("stomp"))
                .contains("amqp.amq%2Etopic.sensor.*.temp");
        assertThat(m.report().untranslated()).filteredOn(i -> i.kind() == ElementKind.BINDING)
                .singleElement().satisfies(i -> {
                    assertThat(i.binding().source()).isEqualTo("amq.headers");
                    assertThat(i.binding().destination()).isEqualTo("by-header");
                    assertThat(i.reason()).contains("built-in exchange amq.headers", "header values");
                });
    }

    /** Found by the routing oracle: RabbitMQ does not import a queue named amq.*, so neither may we create it. */
    @Test
    void serverNamedQueuesAreReportedNotTranslated() throws Exception {
        RabbitMqMigration m = RabbitMqRecipe.from(RabbitMqRecipeTest.load("corpus/rabbitmq-server-case10b.json"))
                .vhost("bunny_testbed").build();
        assertThat(m.queueStreams()).doesNotContainKey("amq.gen-xddEPq9wHSNZKQbPK8pi3A").isNotEmpty();
        assertThat(m.report().untranslated()).anySatisfy(i -> {
            assertThat(i.name()).isEqualTo("amq.gen-xddEPq9wHSNZKQbPK8pi3A");
            assertThat(i.reason()).contains("server-named queue");
        });
    }

    @Test
    void streamQueuesTakeTheirMaxAgeFromTheArgumentOrThePolicy() throws Exception {
        RabbitMqMigration m = RabbitMqRecipe.from(RabbitMqRecipeTest.load(EXPORT)).build();
        assertThat(m.queueStream("audit-log").getMaxAge()).isEqualTo(Duration.ofDays(1));
        assertThat(m.queueStream("audit-archive").getMaxAge()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void theReportAsJsonNamesEachElementByFields() throws Exception {
        TranslationReport r = RabbitMqRecipe.from(RabbitMqRecipeTest.load(EXPORT)).build().report();
        JsonNode json = new ObjectMapper().readTree(r.toJson());
        assertThat(json.path("untranslated")).hasSize(r.untranslated().size());
        assertThat(json.path("differences")).hasSize(r.differences().size());
        JsonNode binding = null;
        for (JsonNode item : json.path("untranslated")) {
            if (item.path("kind").asText().equals("BINDING")) {
                binding = item;
            }
        }
        assertThat(binding).isNotNull();
        assertThat(binding.path("binding").path("source").asText()).isEqualTo("amq.headers");
        assertThat(binding.path("binding").path("routingKey").asText()).isEmpty();
        assertThat(binding.path("reason").asText()).contains("headers");
    }

    /** Maps iterate in a different order per JVM (String hash seeds do not, Map.of does): compare whole runs. */
    @Test
    void theReportIsByteIdenticalInFiveJvms() throws Exception {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"),
                "bin", "java").toString());
        Set<String> outputs = new HashSet<>();
        for (int run = 0; run < 5; run++) {
            Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    ReportPrinter.class.getName(), EXPORT, "/").redirectErrorStream(true).start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            p.getInputStream().transferTo(out);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out.toString(StandardCharsets.UTF_8)).isZero();
            outputs.add(out.toString(StandardCharsets.UTF_8));
        }
        assertThat(outputs).hasSize(1);
        assertThat(outputs.iterator().next()).contains("\"untranslated\"", "Not translated (");
    }

    /**
     * Provisioned on a real server and probed: a queue bound by several overlapping patterns gets each message
     * once, as in RabbitMQ; the empty routing key is no word ({@code *} does not take it, {@code #} and the empty
     * pattern do); the built-in amq.topic routes.
     */
    @NatsTest
    @Test
    void routesOnTheServerAsRabbitMqWould(Connection nc, JetStreamManagement jsm) throws Exception {
        RabbitMqMigration m = RabbitMqRecipe.from(RabbitMqRecipeTest.load(EXPORT)).build();
        assertThat(m.queueFilters("everything"))
                .containsExactlyInAnyOrder("amqp.amq%2Edefault.everything", "amqp.orders", "amqp.orders.>");
        try (MigrationRunner runner = m.plan().runner(nc).build()) {
            runner.applyTo(CoreToJetStreamRecipe.PROVISION);
        }
        for (String key : List.of("order", "", "order.created", "a.b")) {
            nc.jetStream().publish(m.subject("orders", key), new byte[0]);
        }
        nc.jetStream().publish(m.subject("amq.topic", "sensor.1.temp"), new byte[0]);
        Map<String, Integer> expected = Map.of("created", 1, "everything", 4, "keyless", 1, "stomp", 1);
        for (var e : expected.entrySet()) {
            assertThatStream(jsm, m.queueStream(e.getKey()).getName()).within(Duration.ofSeconds(10))
                    .hasMessages(e.getValue());
        }
        assertThatStream(jsm, m.ingestStream().getName()).within(Duration.ofSeconds(10)).hasMessages(0);
        // Nothing more arrives later (a second copy from an overlapping source would).
        assertThat(jsm.getStreamInfo(m.queueStream("everything").getName()).getStreamState().getMsgCount())
                .isEqualTo(4);
    }

    @NatsTest
    @Test
    void twoVhostsAndAVhostWithoutQueuesProvisionSideBySideOnOneServer(Connection nc, JetStreamManagement jsm)
            throws Exception {
        RabbitDefinitions d = RabbitMqRecipeTest.load(EXPORT);
        RabbitMqMigration root = RabbitMqRecipe.from(d).build();
        RabbitMqMigration billing = RabbitMqRecipe.from(d).vhost("billing").build();
        RabbitMqMigration empty = RabbitMqRecipe.from(d).vhost("empty").build();
        assertThat(billing.subject("invoices", "created")).isEqualTo("amqp_billing.invoices.created");
        assertThat(billing.queueStream("created").getName()).isEqualTo("Q_billing_created");
        assertThat(empty.queueStreams()).isEmpty();
        assertThat(empty.report().differences()).singleElement()
                .satisfies(i -> assertThat(i.kind()).isEqualTo(ElementKind.VHOST));
        for (RabbitMqMigration m : List.of(root, billing, empty)) {
            try (MigrationRunner runner = m.plan().runner(nc).build()) {
                runner.applyTo(CoreToJetStreamRecipe.PROVISION);
            }
        }
        nc.jetStream().publish(billing.subject("invoices", "created"), new byte[0]);
        assertThatStream(jsm, "Q_billing_created").within(Duration.ofSeconds(10)).hasMessages(1);
        assertThatStream(jsm, root.queueStream("created").getName()).hasMessages(0);
    }
}
