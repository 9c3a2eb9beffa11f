package io.natsmigrate.core.rabbitmq;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StreamInfo;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.nats.client.support.NatsJetStreamConstants;
import io.natsmigrate.core.CoreToJetStreamRecipe;
import io.natsmigrate.core.MigrationRunner;
import io.natsmigrate.core.PreflightException;
import io.natsmigrate.primitives.ServerTooOldException;
import io.natsmigrate.testkit.NatsServer;
import io.natsmigrate.testkit.NatsServerBinary;
import io.natsmigrate.testkit.NatsTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.natsmigrate.testkit.NatsAssertions.assertThatStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** RabbitMQ's TTL + dead-letter delay queue on JetStream message schedules, on a real server. */
class DelayQueueTest {

    private static RabbitMqMigration translate() throws Exception {
        return RabbitMqRecipe.from(RabbitMqRecipeTest.load("delay-queues.json"))
                .delayQueues("work.retry", "work.later").build();
    }

    @NatsTest
    @Test
    void aDelayQueueDeliversEachMessageOnceAfterItsTtlToTheQueuesOfItsDeadLetterExchange(Connection nc,
                                                                                      JetStreamManagement jsm)
            throws Exception {
        RabbitMqMigration m = translate();
        DelayRoute retry = m.delayRoute("work.retry");
        assertThat(retry.delay()).isEqualTo(Duration.ofMillis(1500));
        assertThat(m.delayRoute("work.later").delay()).isEqualTo(Duration.ofMillis(1000)); // TTL from a policy
        // The delay queue keeps its messages until they are scheduled: no max age from the TTL.
        assertThat(m.queueStream("work.retry").getMaxAge()).isEqualTo(Duration.ZERO);
        assertThat(m.queueStream("work.retry").getRetentionPolicy()).isEqualTo(RetentionPolicy.WorkQueue);
        assertThat(m.report().differences()).anySatisfy(i -> assertThat(i.toString())
                .contains("work.retry").contains("delay queue").contains("DelayQueueRelay"));

        try (MigrationRunner runner = m.plan().runner(nc).build()) {
            runner.preflight();
            runner.applyTo(CoreToJetStreamRecipe.PROVISION);
        }
        List<Instant> sent = new ArrayList<>();
        try (DelayQueueRelay relay = DelayQueueRelay.start(nc, retry);
             DelayQueueRelay later = DelayQueueRelay.start(nc, m.delayRoute("work.later"))) {
            for (int i = 0; i < 20; i++) {
                Headers h = new Headers().put(NatsJetStreamConstants.MSG_ID_HDR, "task-" + i).put("X-App", "v" + i);
                sent.add(Instant.now());
                nc.jetStream().publish(NatsMessage.builder().subject(m.subject("retry", i < 10 ? "work" : "later"))
                        .headers(h).data(("task " + i).getBytes()).build());
            }
            assertThatStream(jsm, "Q_work").within(Duration.ofSeconds(30)).hasMessages(20);
            assertThat(relay.scheduled() + later.scheduled()).isEqualTo(20);
        }
        StreamInfo work = jsm.getStreamInfo("Q_work");
        Set<String> ids = new HashSet<>();
        for (long seq = work.getStreamState().getFirstSequence(); seq <= work.getStreamState().getLastSequence();
             seq++) {
            MessageInfo mi = jsm.getMessage("Q_work", seq);
            String id = mi.getHeaders().getFirst(DelayQueueRelay.ORIGINAL_MSG_ID);
            int i = Integer.parseInt(id.substring("task-".length()));
            ids.add(id);
            // work.retry keeps the key on its dead-letter exchange; work.later sends to the default exchange with "work".
            assertThat(mi.getSubject()).isEqualTo(i < 10 ? m.subject("tasks", "work") : m.subject("", "work"));
            assertThat(mi.getHeaders().getFirst("X-App")).isEqualTo("v" + i);
            Duration ttl = i < 10 ? Duration.ofMillis(1500) : Duration.ofMillis(1000);
            // Not before the TTL: the same machine's clock stamps both (10 ms for rounding).
            assertThat(mi.getTime().toInstant()).isAfterOrEqualTo(sent.get(i).plus(ttl).minusMillis(10));
        }
        assertThat(ids).hasSize(20);
        assertThatStream(jsm, m.queueStream("work.retry").getName()).within(Duration.ofSeconds(5)).hasMessages(0);
    }

    @NatsTest
    @Test
    void messagesWaitInTheDelayQueueWhileNoRelayRunsAndAreDeliveredWhenOneStarts(Connection nc,
                                                                                JetStreamManagement jsm)
            throws Exception {
        RabbitMqMigration m = translate();
        try (MigrationRunner runner = m.plan().runner(nc).build()) {
            runner.applyTo(CoreToJetStreamRecipe.PROVISION);
        }
        for (int i = 0; i < 5; i++) {
            nc.jetStream().publish(m.subject("retry", "work"), ("late " + i).getBytes());
        }
        assertThatStream(jsm, m.queueStream("work.retry").getName()).within(Duration.ofSeconds(10)).hasMessages(5);
        assertThatStream(jsm, "Q_work").hasMessages(0);
        try (DelayQueueRelay relay = DelayQueueRelay.start(nc, m.delayRoute("work.retry"))) {
            assertThatStream(jsm, "Q_work").within(Duration.ofSeconds(30)).hasMessages(5);
        }
    }

    @NatsTest
    @Test
    void aDeadLetterWithoutARoutingKeyToKeepStaysInTheDelayQueueAndIsCounted(Connection nc, JetStreamManagement jsm)
            throws Exception {
        RabbitMqMigration m = translate();
        assertThat(m.report().differences()).anySatisfy(i -> assertThat(i.toString()).contains("work.retry")
                .contains("without an x-dead-letter-routing-key"));
        try (MigrationRunner runner = m.plan().runner(nc).build()) {
            runner.applyTo(CoreToJetStreamRecipe.PROVISION);
        }
        // work's dead letters reach work.retry with the DLQ's subject: no routing key to keep.
        nc.jetStream().publish(m.deadLetterRoutes().get(0).dlqSubject(), "dead".getBytes());
        try (DelayQueueRelay relay = DelayQueueRelay.start(nc, m.delayRoute("work.retry"))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> relay.unroutable() > 0);
        }
        assertThatStream(jsm, m.queueStream("work.retry").getName()).hasMessages(1);
        assertThatStream(jsm, "Q_work").hasMessages(0);
    }

    @NatsTest
    @Test
    void aRelayForAPlanThatWasNotAppliedIsRefusedByTheServer(Connection nc) throws Exception {
        RabbitMqMigration m = translate();
        assertThatThrownBy(() -> DelayQueueRelay.start(nc, m.delayRoute("work.retry")))
                .isInstanceOf(io.nats.client.JetStreamApiException.class).hasMessageContaining("stream not found");
        assertThatThrownBy(() -> DelayQueueRelay.start(nc, null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("route");
    }

    @Test
    void badDelayQueueSettingsAreRefusedWithTheFix() throws Exception {
        RabbitDefinitions defs = RabbitMqRecipeTest.load("delay-queues.json");
        assertThatThrownBy(() -> RabbitMqRecipe.from(defs).delayQueues("work.retyr").build())
                .isInstanceOf(DefinitionsException.class).hasMessageContaining("work.retyr")
                .hasMessageContaining("check the names");
        assertThatThrownBy(() -> RabbitMqRecipe.from(defs).delayQueues("work").build())
                .isInstanceOf(DefinitionsException.class).hasMessageContaining("\"work\"")
                .hasMessageContaining("x-message-ttl");
        assertThatThrownBy(() -> RabbitMqRecipe.from(defs).delayQueues((String) null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("delay queue name");
        assertThatThrownBy(() -> translate().delayRoute("work"))
                .isInstanceOf(DefinitionsException.class).hasMessageContaining("delayQueues");
    }

    @Test
    void aServerWithoutMessageSchedulesIsRefusedBeforeAnythingIsCreated() throws Exception {
        RabbitMqMigration m = translate();
        try (NatsServer old = NatsServer.builder().binary(NatsServerBinary.legacy()).start();
             Connection nc = old.connect();
             MigrationRunner runner = m.plan().runner(nc).build()) {
            assertThatThrownBy(runner::preflight).isInstanceOf(PreflightException.class)
                    .hasMessageContaining("Message schedules needs nats-server 2.12.0+");
            assertThatThrownBy(() -> runner.applyTo(CoreToJetStreamRecipe.PROVISION))
                    .hasRootCauseInstanceOf(ServerTooOldException.class);
            assertThat(nc.jetStreamManagement().getStreamNames()).doesNotContain(m.delayRoute("work.retry")
                    .delayStream());
            assertThatThrownBy(() -> DelayQueueRelay.start(nc, m.delayRoute("work.retry")))
                    .isInstanceOf(ServerTooOldException.class);
        }
    }
}
