package io.natsmigrate.core.rabbitmq;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.core.CoreToJetStreamRecipe;
import io.natsmigrate.core.InvalidPlanException;
import io.natsmigrate.core.MigrationRunner;
import io.natsmigrate.primitives.InvalidSubjectException;
import io.natsmigrate.testkit.NatsTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static io.natsmigrate.testkit.NatsAssertions.assertThatStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RabbitMQ definitions exports translated, provisioned on a real server, and routed by it. */
class RabbitMqRecipeTest {

    static RabbitDefinitions load(String name) throws IOException {
        try (InputStream in = RabbitMqRecipeTest.class.getResourceAsStream("/rabbitmq/" + name)) {
            return RabbitDefinitions.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void workQueuesBecomeWorkQueueStreamsWithLimitsAndDeliveryLimits() throws Exception {
        RabbitMqMigration m = RabbitMqRecipe.from(load("work-queues.json")).build();
        StreamConfiguration emails = m.queueStream("emails.outbound");
        assertThat(emails.getName()).startsWith("Q_emails_outbound_");
        assertThat(emails.getRetentionPolicy()).isEqualTo(RetentionPolicy.WorkQueue);
        assertThat(emails.getMaxAge()).isEqualTo(Duration.ofMinutes(1));
        assertThat(emails.getMaxMsgs()).isEqualTo(1000);
        assertThat(emails.getDiscardPolicy()).isEqualTo(DiscardPolicy.New);
        // Sourced through a durable consumer on the ingest stream, whose filter is the binding's subject.
        assertThat(emails.getSources()).singleElement().satisfies(s -> {
            assertThat(s.getName()).isEqualTo("AMQP");
            assertThat(s.getConsumerSource().getName()).isEqualTo("SRC_" + emails.getName() + "_1");
        });
        assertThat(m.queueFilters("emails.outbound")).containsExactly("amqp.amq%2Edefault.emails.outbound");
        assertThat(m.durableSources()).anySatisfy(d -> {
            assertThat(d.origin()).isEqualTo("AMQP");
            assertThat(d.sourcing()).isEqualTo(emails.getName());
            assertThat(d.filterSubject()).isEqualTo("amqp.amq%2Edefault.emails.outbound");
        });
        // Before nats-server 2.14: the server's own source consumers, with a filter each, and the risk reported.
        RabbitMqMigration ephemeral = RabbitMqRecipe.from(load("work-queues.json")).durableSources(false).build();
        assertThat(ephemeral.durableSources()).isEmpty();
        assertThat(ephemeral.queueStream("emails.outbound").getSources()).singleElement()
                .satisfies(s -> assertThat(s.getFilterSubject()).isEqualTo("amqp.amq%2Edefault.emails.outbound"));
        assertThat(ephemeral.queueFilters("emails.outbound")).containsExactly("amqp.amq%2Edefault.emails.outbound");
        assertThat(ephemeral.report().differences()).anySatisfy(i -> assertThat(i.reason())
                .contains("durable sources off"));
        assertThat(m.queueConsumer("tasks").getMaxDeliver()).isEqualTo(5);
        assertThat(m.subject("", "tasks")).isEqualTo("amqp.amq%2Edefault.tasks");
        assertThat(m.report().differences()).anySatisfy(i -> assertThat(i.reason()).contains("reject-publish"));
        assertThat(m.report().untranslated()).isEmpty();
        assertThatThrownBy(() -> m.queueStream("nope")).isInstanceOf(DefinitionsException.class)
                .hasMessageContaining("Translated queues");
    }

    @NatsTest
    @Test
    void topicBindingsRouteOnTheServerAsRabbitMqWould(Connection nc, JetStreamManagement jsm) throws Exception {
        RabbitMqMigration m = RabbitMqRecipe.from(load("topic-exchange.json")).vhost("shop").build();
        assertThat(m.ingestStream().getName()).isEqualTo("AMQP_shop");
        assertThat(m.report().untranslated()).singleElement().satisfies(i ->
                assertThat(i.toString()).contains("order.#.eu").contains("'#' before its last word"));
        assertThat(m.queueStream("audit").getRetentionPolicy()).isEqualTo(RetentionPolicy.Limits);
        assertThat(m.queueStream("created events").getStorageType()).isEqualTo(StorageType.Memory);

        try (MigrationRunner runner = m.plan().runner(nc).build()) {
            runner.preflight();
            runner.applyTo(CoreToJetStreamRecipe.PROVISION);
        }
        Map<String, Integer> expected = Map.of("orders", 1, "audit", 3, "everything", 4, "created events", 2,
                "odd", 0);
        nc.jetStream().publish(m.subject("events", "order.created"), new byte[0]); // orders audit everything created
        nc.jetStream().publish(m.subject("events", "order"), new byte[0]);         // audit (# = zero words) everything
        nc.jetStream().publish(m.subject("events", "user.created"), new byte[0]);  // everything, created
        nc.jetStream().publish(m.subject("events", "order.x.eu"), new byte[0]);    // audit, everything (not odd)
        for (var e : expected.entrySet()) {
            assertThatStream(jsm, m.queueStream(e.getKey()).getName()).within(Duration.ofSeconds(10))
                    .hasMessages(e.getValue());
        }
        // Copied to every queue stream that wanted it, then gone from the interest ingest stream.
        assertThatStream(jsm, "AMQP_shop").within(Duration.ofSeconds(10)).hasMessages(0);
    }

    @NatsTest
    @Test
    void fanoutPoliciesAndDeadLetterExchanges(Connection nc, JetStreamManagement jsm) throws Exception {
        RabbitMqMigration m = RabbitMqRecipe.from(load("fanout-and-dlx.json")).build();
        // Policy by priority; the lower limit wins where argument and policy both set one.
        assertThat(m.queueStream("web").getMaxMsgs()).isEqualTo(500);
        assertThat(m.queueStream("web").getMaxAge()).isEqualTo(Duration.ofHours(2));
        assertThat(m.queueStream("mobile").getMaxAge()).isEqualTo(Duration.ofHours(1));
        assertThat(m.report().differences()).anySatisfy(i -> assertThat(i.toString()).contains("ha-mode"));

        // mobile's dead-letter exchange comes from its arguments, web's from its policy.
        assertThat(m.deadLetterRoutes()).hasSize(2).anySatisfy(r -> {
            assertThat(r.queue()).isEqualTo("mobile");
            assertThat(r.dlqSubject()).isEqualTo("dlq.Q_mobile.mobile");
            assertThat(r.targets()).containsExactly("failed");
        }).anySatisfy(r -> {
            assertThat(r.queue()).isEqualTo("web");
            assertThat(r.targets()).containsExactly("failed");
        });
        assertThat(m.queueStream("failed").getSources()).extracting(s -> s.getName()).contains("DLQ");
        assertThat(m.queueFilters("failed"))
                .contains("dlq.Q_mobile.mobile", "dlq.Q_web.web");

        try (MigrationRunner runner = m.plan().runner(nc).build()) {
            runner.applyTo(CoreToJetStreamRecipe.PROVISION);
        }
        nc.jetStream().publish(m.subject("broadcast", "anything"), new byte[0]);
        assertThatStream(jsm, "Q_mobile").within(Duration.ofSeconds(10)).hasMessages(1);
        assertThatStream(jsm, "Q_web").within(Duration.ofSeconds(10)).hasMessages(1);
        // A dead letter stored by the DLQ on the route's subject reaches the queue bound to the dead-letter exchange.
        nc.jetStream().publish("dlq.Q_mobile.mobile", new byte[0]);
        assertThatStream(jsm, "Q_failed").within(Duration.ofSeconds(10)).hasMessages(1);
    }

    @Test
    void untranslatableFeaturesAreReportedNeverGuessed() throws Exception {
        RabbitMqMigration m = RabbitMqRecipe.from(load("untranslatable.json")).build();
        TranslationReport r = m.report();
        System.out.println(r.toText());
        assertThat(r.untranslated()).extracting(TranslationReport.Item::toString)
                .anySatisfy(s -> assertThat(s).startsWith("exchange by-header").contains("headers exchanges"))
                .anySatisfy(s -> assertThat(s).startsWith("exchange delayed").contains("delayed-message exchange")
                        .contains("no x-delayed-type"))
                .anySatisfy(s -> assertThat(s).startsWith("exchange main").contains("alternate-exchange"))
                .anySatisfy(s -> assertThat(s).startsWith("queue urgent").contains("priorities"))
                .anySatisfy(s -> assertThat(s).startsWith("queue sessions").contains("x-expires"))
                .anySatisfy(s -> assertThat(s).startsWith("queue mystery").contains("x-foo"))
                .anySatisfy(s -> assertThat(s).startsWith("queue reply-to-me").contains("exclusive"))
                .anySatisfy(s -> assertThat(s).startsWith("binding main -> by-header").contains("type headers"))
                .anySatisfy(s -> assertThat(s).startsWith("binding by-header -> jobs"));
        assertThat(r.differences()).extracting(TranslationReport.Item::toString)
                .anySatisfy(s -> assertThat(s).startsWith("exchange main").contains("internal"))
                .anySatisfy(s -> assertThat(s).startsWith("queue jobs").contains("x-queue-mode"))
                .anySatisfy(s -> assertThat(s).startsWith("queue leader").contains("pinned-client"));
        assertThat(m.queueStreams()).containsOnlyKeys("jobs", "leader");
        assertThat(m.queueFilters("jobs"))
                .containsExactlyInAnyOrder("amqp.amq%2Edefault.jobs", "amqp.main.job");
    }

    @Test
    void operatorPoliciesApplyOnTopOfPoliciesAndTheLowerLimitWins() throws Exception {
        RabbitMqMigration m = RabbitMqRecipe.from(load("operator-policies.json")).build();
        // The operator policy caps the queue's own x-max-length.
        assertThat(m.queueStream("limited.jobs").getMaxMsgs()).isEqualTo(500);
        // Policy and operator policy both set a TTL: the lower wins; the operator policy adds a byte limit.
        assertThat(m.queueStream("archive.jobs").getMaxAge()).isEqualTo(Duration.ofHours(1));
        assertThat(m.queueStream("archive.jobs").getMaxBytes()).isEqualTo(1_048_576);
        assertThat(m.queueStream("free.jobs").getMaxMsgs()).isEqualTo(-1);
        assertThat(RabbitMqRecipeTest.load("operator-policies.json").operatorPolicies())
                .extracting(RabbitDefinitions.Policy::name).containsExactly("cap-limited", "cap-archive");
    }

    @Test
    void badExportsGetTypedErrorsWithTheFix() {
        assertThatThrownBy(() -> RabbitDefinitions.parse("{ \"queues\": [ { \"name\": \"a\", "))
                .isInstanceOf(DefinitionsException.class).hasMessageContaining("line 1")
                .hasMessageContaining("rabbitmqadmin export");
        assertThatThrownBy(() -> RabbitMqRecipe.from(load("work-queues.json")).vhost("prod").build())
                .isInstanceOf(DefinitionsException.class).hasMessageContaining("Vhost \"prod\" is not in the export");
        assertThatThrownBy(() -> RabbitMqRecipe.from(RabbitDefinitions.parse("{\"queues\": [{\"name\": \"q\","
                + " \"vhost\": \"/\", \"durable\": true, \"arguments\": {\"x-message-ttl\": \"soon\"}}]}")).build())
                .isInstanceOf(DefinitionsException.class).hasMessageContaining("x-message-ttl is soon, not a number");
        assertThatThrownBy(() -> RabbitDefinitions.parse("")).isInstanceOf(DefinitionsException.class)
                .hasMessageContaining("Not a RabbitMQ definitions export");
        assertThatThrownBy(() -> RabbitDefinitions.parse("[]")).isInstanceOf(DefinitionsException.class)
                .hasMessageContaining("Not a RabbitMQ definitions export");
        assertThatThrownBy(() -> RabbitMqRecipe.from(RabbitDefinitions.parse(
                "{\"queues\": [{\"vhost\": \"/\", \"durable\": true}]}")).build())
                .isInstanceOf(DefinitionsException.class).hasMessageContaining("a queue without a name");
        assertThatThrownBy(() -> RabbitMqRecipe.from(RabbitDefinitions.parse("{\"queues\": [{\"name\": \"q\"}]}"))
                .build()).isInstanceOf(DefinitionsException.class).hasMessageContaining("without a vhost (q)");
        assertThatThrownBy(() -> RabbitDefinitions.read(java.nio.file.Path.of("/nonexistent/definitions.json")))
                .isInstanceOf(java.nio.file.NoSuchFileException.class);
    }

    @Test
    void badRecipeSettingsAreRefusedWithTheRule() throws Exception {
        RabbitMqRecipe r = RabbitMqRecipe.from(load("work-queues.json"));
        assertThatThrownBy(() -> r.subjectPrefix("amqp.*")).isInstanceOf(InvalidSubjectException.class);
        assertThatThrownBy(() -> r.subjectPrefix("")).isInstanceOf(InvalidSubjectException.class);
        assertThatThrownBy(() -> r.ingestStream("AM QP")).isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("ingest stream \"AM QP\"");
        assertThatThrownBy(() -> r.streamPrefix("Q.")).isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("stream prefix");
        assertThatThrownBy(() -> r.deadLetters("DLQ", "dlq.x")).isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("DLQ subject prefix");
        assertThatThrownBy(() -> r.ingestMaxAge(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ingestMaxAge must be positive");
        assertThatThrownBy(() -> r.replicas(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0 for min(3, cluster size)");
        assertThatThrownBy(() -> r.delayQueues((String[]) null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> RabbitMqRecipe.from(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("definitions");
        assertThatThrownBy(() -> AmqpSubjects.subject("amqp", null, "k")).isInstanceOf(NullPointerException.class)
                .hasMessage("exchange");
        assertThatThrownBy(() -> AmqpSubjects.topicFilters(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("pattern");
        // An empty stream prefix is allowed: queue streams are then named after the queues.
        assertThat(RabbitMqRecipe.from(load("work-queues.json")).streamPrefix("").build().queueStream("tasks")
                .getName()).isEqualTo("tasks");
    }
}
