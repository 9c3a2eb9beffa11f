package io.natsmigrate.samples;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.consumer.ConsumerRunner;
import io.natsmigrate.consumer.DeadLetterQueue;
import io.natsmigrate.consumer.Outcome;
import io.natsmigrate.core.GateResult;
import io.natsmigrate.core.Gates;
import io.natsmigrate.core.MigrationPlan;
import io.natsmigrate.core.MigrationRunner;
import io.natsmigrate.core.RouteTrace;
import io.natsmigrate.core.Steps;
import io.natsmigrate.core.StreamCopy;
import io.natsmigrate.core.StreamCopyResult;
import io.natsmigrate.core.TracedRoute;
import io.natsmigrate.core.rabbitmq.RabbitDefinitions;
import io.natsmigrate.core.rabbitmq.RabbitMqMigration;
import io.natsmigrate.core.rabbitmq.RabbitMqRecipe;
import io.natsmigrate.dualpublish.DualPublisher;
import io.natsmigrate.dualpublish.LegacyLeg;
import io.natsmigrate.dualpublish.PublishMode;
import io.natsmigrate.reliable.Expectation;
import io.natsmigrate.reliable.ReliablePublisher;
import io.natsmigrate.reliable.RetryPolicy;
import io.natsmigrate.testkit.NatsServer;
import io.natsmigrate.testkit.NatsTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.natsmigrate.testkit.NatsAssertions.assertThatStream;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The examples of {@code docs/api-overview.md}: the regions between {@code tag::} and {@code end::} are what
 * the page shows ({@link DocsSnippetsTest} checks they match), compiled and run against a real server here.
 */
class ApiExamplesTest {

    @Test
    void testkit() throws Exception {
        // tag::testkit[]
        try (NatsServer server = NatsServer.builder().syncInterval("always").start();
             Connection nc = server.connect()) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name("ORDERS").subjects("orders.>").build());
            nc.jetStream().publish("orders.1", new byte[0]);
            assertThatStream(jsm, "ORDERS").within(Duration.ofSeconds(5)).hasMessages(1);
            server.kill();      // SIGKILL; restart() comes back on the same port with the same store
            server.restart();
        }
        // end::testkit[]
    }

    @NatsTest
    @Test
    void core(Connection nc) throws Exception {
        // tag::core[]
        MigrationPlan plan = MigrationPlan.named("orders")
                .phase("provision", p -> p
                        .step(Steps.stream(StreamConfiguration.builder().name("ORDERS").subjects("orders.>")
                                .maxAge(Duration.ofDays(7)).build()))
                        .step(Steps.consumer("ORDERS", ConsumerConfiguration.builder().durable("billing").build())))
                .phase("live", p -> p.step(Steps.marker("billing reads ORDERS")))
                .build();
        try (MigrationRunner runner = plan.runner(nc).instanceId("svc-1").build()) {
            runner.preflight();
            runner.applyTo("live");
            System.out.println(runner.status().toText());
            runner.rollbackTo("provision");
        }
        // end::core[]
        assertThat(nc.jetStreamManagement().getStreamNames()).contains("ORDERS");
    }

    @NatsTest
    @Test
    void trace(Connection nc) throws Exception {
        nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("ORDERS").subjects("orders.>").build());
        // tag::trace[]
        TracedRoute route = RouteTrace.on(nc).trace("orders.new");   // trace-only: nothing delivered or stored
        System.out.println(route.streamNames() + " " + route.complete() + "\n" + route);
        GateResult only = Gates.storedOnlyIn("orders.new", "ORDERS", Duration.ofSeconds(10)).evaluate(nc);
        // end::trace[]
        assertThat(route.streamNames()).containsExactly("ORDERS");
        assertThat(only.passed()).isTrue();
        assertThat(nc.jetStreamManagement().getStreamInfo("ORDERS").getStreamState().getMsgCount()).isZero();
    }

    @Test
    void copy() throws Exception {
        try (NatsServer oldServer = NatsServer.start();
             NatsServer newServer = NatsServer.start();
             Connection oldSystem = oldServer.connect();
             Connection newSystem = newServer.connect()) {
            oldSystem.jetStreamManagement().addStream(StreamConfiguration.builder().name("ORDERS")
                    .subjects("orders.>").build());
            oldSystem.jetStream().publish("orders.1", new byte[]{1});
            // tag::copy[]
            StreamCopyResult copied = StreamCopy.stream("ORDERS").from(oldSystem).to(newSystem)
                    .progress(p -> System.out.println(p.stage() + " " + p.bytes() + " bytes"))
                    .copy();
            System.out.println(copied.messages() + " messages, last sequence " + copied.lastSequence());
            // end::copy[]
            assertThat(newSystem.jetStreamManagement().getStreamInfo("ORDERS").getStreamState().getMsgCount())
                    .isEqualTo(1);
        }
    }

    @NatsTest
    @Test
    void reliablePublish(Connection nc) throws Exception {
        nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("ORDERS").subjects("orders.>").build());
        // tag::reliable[]
        try (ReliablePublisher publisher = ReliablePublisher.builder(nc)
                .retryPolicy(RetryPolicy.builder().deadline(Duration.ofSeconds(60)).build())
                .build()) {
            PublishAck ack = publisher.publish("orders.42", "created".getBytes());
            publisher.publish("orders.42", null, "paid".getBytes(), Expectation.lastSubjectSequence(ack.getSeqno()));
        }
        // end::reliable[]
        assertThatStream(nc.jetStreamManagement(), "ORDERS").hasMessages(2);
    }

    @NatsTest
    @Test
    void dualPublish(Connection nc) throws Exception {
        nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("EVENTS").subjects("new.events")
                .build());
        // tag::dual[]
        try (DualPublisher publisher = DualPublisher.builder()
                .legacy(LegacyLeg.nats(nc))                         // or an AMQP basicPublish lambda
                .jetStream(nc, "EVENTS")
                .subjectMapping(subject -> "new." + subject)
                .mode(PublishMode.DUAL)                             // or followPlan(nc, "plan-name")
                .build()) {
            publisher.publish("events", "run 1 completed".getBytes());
            publisher.flush(Duration.ofSeconds(5));
        }
        // end::dual[]
        assertThatStream(nc.jetStreamManagement(), "EVENTS").within(Duration.ofSeconds(5)).hasMessages(1);
    }

    @NatsTest
    @Test
    void consumers(Connection nc) throws Exception {
        nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("ORDERS").subjects("orders.>").build());
        nc.jetStream().publish("orders.1", "unknown customer".getBytes());
        // tag::consumer[]
        try (DeadLetterQueue dlq = DeadLetterQueue.builder(nc).watch("ORDERS", "billing").build().start();
             ConsumerRunner runner = ConsumerRunner.builder(nc, "ORDERS",
                             ConsumerConfiguration.builder().durable("billing").maxDeliver(3).build())
                     .handler(d -> new String(d.message().getData()).startsWith("unknown")
                             ? Outcome.term("unknown customer")      // to the DLQ now
                             : Outcome.ack())
                     .build()) {
            // ... dlq.deadLetters(), dlq.redrive(...)
            // end::consumer[]
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> dlq.deadLetters().size() == 1);
        }
    }

    @NatsTest
    @Test
    void rabbitMq(Connection nc) throws Exception {
        String json = """
                {"queues": [{"name": "work", "vhost": "/", "durable": true, "arguments": {"x-max-length": 1000}}]}
                """;
        // tag::rabbitmq[]
        RabbitMqMigration m = RabbitMqRecipe.from(RabbitDefinitions.parse(json)).vhost("/").build();
        System.out.println(m.report().toText());
        try (MigrationRunner runner = m.plan().runner(nc).build()) {
            runner.applyTo("provision");
        }
        nc.jetStream().publish(m.subject("", "work"), "task 1".getBytes());   // the default exchange, key "work"
        // end::rabbitmq[]
        assertThatStream(nc.jetStreamManagement(), m.queueStream("work").getName()).within(Duration.ofSeconds(5))
                .hasMessages(1);
    }
}
