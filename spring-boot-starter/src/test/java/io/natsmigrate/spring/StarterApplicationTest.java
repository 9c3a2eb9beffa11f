package io.natsmigrate.spring;

import io.micrometer.core.instrument.MeterRegistry;
import io.nats.client.Connection;
import io.natsmigrate.core.MigrationRunner;
import io.natsmigrate.core.RecordedPlans;
import io.natsmigrate.reliable.ReliablePublisher;
import io.natsmigrate.spring.test.EmbeddedNatsServer;
import io.natsmigrate.testkit.NatsServer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Spring Boot application with the starter, on a real nats-server started by {@link EmbeddedNatsServer}: the plan
 * file is applied on startup before the publisher and runner beans start, the actuator endpoint and health show it,
 * and the meters registered for the application's beans count what the test's ledger counts.
 */
@SpringBootTest(classes = OrdersApplication.class, properties = {
        "natsmigrate.plan-file=classpath:orders-plan.yaml",
        "natsmigrate.target-phase=provision",
        "natsmigrate.instance-id=orders-svc-1",
        "management.endpoint.health.show-details=always"})
@EmbeddedNatsServer
class StarterApplicationTest {

    @Autowired
    Connection nc;
    @Autowired
    NatsServer server;
    @Autowired
    MigrationRunner runner;
    @Autowired
    ReliablePublisher publisher;
    @Autowired
    OrdersApplication.Ledger ledger;
    @Autowired
    MeterRegistry registry;
    @Autowired
    NatsMigrateEndpoint endpoint;
    @Autowired
    HealthEndpoint health;

    @Test
    void thePlanIsAppliedOnStartupAndShownByTheEndpointAndHealth() throws Exception {
        assertThat(server.url()).endsWith(":" + nc.getServerInfo().getPort()); // natsmigrate.server was set
        assertThat(RecordedPlans.open(nc).state("orders-on-jetstream").phase()).isEqualTo("provision");
        assertThat(nc.jetStreamManagement().getConsumerInfo("ORDERS", "billing")).isNotNull();

        Map<String, Object> status = endpoint.status();
        assertThat(status).containsEntry("plan", "orders-on-jetstream").containsEntry("phase", "provision")
                .containsEntry("targetPhase", "provision").containsEntry("appliedSteps", 2)
                .containsEntry("targetReached", true).containsKey("consumers");
        assertThat(status.get("lock")).isEqualTo(Map.of("held", false));
        List<Map<String, Object>> history = endpoint.part("history");
        assertThat(history).extracting(t -> t.get("subject")).contains("stream ORDERS", "provision");
        assertThat(history).extracting(t -> t.get("instance")).contains("orders-svc-1");

        IndicatedHealthDescriptor h = (IndicatedHealthDescriptor) health.healthForPath("natsmigrate");
        assertThat(h.getStatus()).isEqualTo(Status.UP);
        assertThat(h.getDetails()).containsEntry("phase", "provision").containsKey("gatesWaiting");

        assertThat(registry.get("natsmigrate.plan.steps").tag("outcome", "applied").counter().count())
                .isEqualTo(2); // counted although the startup migration ran while the context was starting
        assertThat(registry.get("natsmigrate.plan.phases").counter().count()).isEqualTo(1);
        assertThat(registry.get("natsmigrate.plan.lock.held").gauge().value()).isZero();
    }

    @Test
    void theMetersOfTheApplicationsPublisherAndRunnerMatchTheLedger() {
        int n = 200;
        for (int i = 0; i < n; i++) {
            publisher.publish("orders.created", ("order-" + i).getBytes(StandardCharsets.UTF_8));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> ledger.handled.size() == n);
        await().atMost(Duration.ofSeconds(10)).until(() -> registry.get("natsmigrate.consumer.messages")
                .tag("runner", "billingRunner").tag("outcome", "acked").functionCounter().count() == n);
        assertThat(registry.get("natsmigrate.publisher.messages").tag("publisher", "ordersPublisher")
                .tag("outcome", "acked").functionCounter().count()).isEqualTo(n);
        assertThat(registry.get("natsmigrate.publisher.messages").tag("publisher", "ordersPublisher")
                .tag("outcome", "failed").functionCounter().count()).isZero();
        assertThat(registry.get("natsmigrate.consumer.handler").tag("runner", "billingRunner").functionTimer()
                .count()).isEqualTo(n);
        assertThat(ledger.handled).hasSize(n).contains("order-0", "order-" + (n - 1));
    }
}
