package io.natsmigrate.core.rabbitmq;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StreamInfo;
import io.nats.client.impl.Headers;
import io.nats.client.support.NatsJetStreamConstants;
import io.natsmigrate.core.CoreToJetStreamRecipe;
import io.natsmigrate.core.MigrationRunner;
import io.natsmigrate.testkit.NatsTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static io.natsmigrate.testkit.NatsAssertions.assertThatStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The delayed-message plugin's exchange on JetStream message schedules, on a real server. */
class DelayedMessageExchangeTest {

    @NatsTest
    @Test
    void aDelayedMessageReachesTheExchangesQueuesAfterItsDelayAndAnUndelayedOneAtOnce(Connection nc,
                                                                                   JetStreamManagement jsm)
            throws Exception {
        RabbitMqMigration m = RabbitMqRecipe.from(RabbitMqRecipeTest.load("delayed-exchange.json")).build();
        assertThat(m.delayedExchanges()).containsExactly("later");
        assertThat(m.report().differences()).anySatisfy(i -> assertThat(i.toString()).contains("later")
                .contains("delayedMessage"));
        assertThat(m.report().untranslated()).anySatisfy(i -> assertThat(i.toString()).contains("later-untyped")
                .contains("no x-delayed-type"));
        try (MigrationRunner runner = m.plan().runner(nc).build()) {
            runner.preflight();
            runner.applyTo(CoreToJetStreamRecipe.PROVISION);
        }
        String reminders = m.queueStream("reminders").getName();
        Map<String, Instant> sent = new HashMap<>();
        for (int i = 0; i < 5; i++) {
            String id = "r-" + i;
            sent.put(id, Instant.now());
            PublishAck ack = nc.jetStream().publish(m.delayedMessage("later", "reminder.user." + i,
                    ("remind " + i).getBytes(StandardCharsets.UTF_8), Duration.ofMillis(1500),
                    new Headers().put(NatsJetStreamConstants.MSG_ID_HDR, id).put("X-App", "v" + i)));
            assertThat(ack.getStream()).isEqualTo("AMQP_DELAY");
        }
        nc.jetStream().publish(m.subject("later", "reminder.now"), "now".getBytes(StandardCharsets.UTF_8));
        // The undelayed one arrives first, alone.
        assertThatStream(jsm, reminders).within(Duration.ofSeconds(5)).hasMessages(1);
        assertThat(new String(jsm.getMessage(reminders, 1).getData(), StandardCharsets.UTF_8)).isEqualTo("now");
        assertThatStream(jsm, reminders).within(Duration.ofSeconds(30)).hasMessages(6);
        StreamInfo info = jsm.getStreamInfo(reminders);
        for (long seq = 2; seq <= info.getStreamState().getLastSequence(); seq++) {
            MessageInfo mi = jsm.getMessage(reminders, seq);
            String id = mi.getHeaders().getFirst(DelayQueueRelay.ORIGINAL_MSG_ID);
            int i = Integer.parseInt(id.substring(2));
            assertThat(mi.getSubject()).isEqualTo(m.subject("later", "reminder.user." + i));
            assertThat(mi.getHeaders().getFirst("X-App")).isEqualTo("v" + i);
            assertThat(mi.getTime().toInstant()).isAfterOrEqualTo(sent.get(id).plusMillis(1500 - 10));
        }
    }

    @Test
    void badDelayedPublishesAreRefusedWithTheFix() throws Exception {
        RabbitMqMigration m = RabbitMqRecipe.from(RabbitMqRecipeTest.load("delayed-exchange.json"))
                .maxMessageDelay(Duration.ofHours(1)).build();
        assertThatThrownBy(() -> m.delayedMessage("later", "reminder.x", new byte[0], Duration.ofHours(2), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxMessageDelay");
        assertThatThrownBy(() -> m.delayedMessage("later", "reminder.x", new byte[0], Duration.ZERO, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("delay");
        assertThatThrownBy(() -> m.delayedMessage("later-untyped", "x", new byte[0], Duration.ofSeconds(1), null))
                .isInstanceOf(DefinitionsException.class).hasMessageContaining("[later]");
        assertThatThrownBy(() -> RabbitMqRecipe.from(RabbitMqRecipeTest.load("delayed-exchange.json"))
                .maxMessageDelay(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }
}
