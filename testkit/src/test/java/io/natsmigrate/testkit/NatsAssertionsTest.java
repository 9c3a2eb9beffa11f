package io.natsmigrate.testkit;

import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.natsmigrate.testkit.NatsAssertions.assertThatConsumer;
import static io.natsmigrate.testkit.NatsAssertions.assertThatStream;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@NatsTest
class NatsAssertionsTest {

    @Test
    void streamAssertionsPassAndFailOnLiveState(JetStreamManagement jsm, JetStream js) throws Exception {
        jsm.addStream(StreamConfiguration.builder().name("A").subjects("a.>").build());
        js.publish("a.x", new byte[0]);
        js.publish("a.x", new byte[0]);
        js.publish("a.y", new byte[0]);

        assertThatStream(jsm, "A").exists().hasMessages(3).hasSubjectCount("a.x", 2).hasSubjectCount("a.z", 0)
                .hasFirstSequence(1).hasLastSequence(3).hasConsumers(0);
        assertThatStream(jsm, "NOPE").doesNotExist();

        assertThatThrownBy(() -> assertThatStream(jsm, "A").hasMessages(4))
                .isInstanceOf(AssertionError.class).hasMessageContaining("messages in stream A");
        assertThatThrownBy(() -> assertThatStream(jsm, "NOPE").hasMessages(0))
                .isInstanceOf(AssertionError.class).hasMessageContaining("no such stream");
    }

    @Test
    void waitingVariantSeesAConditionBecomeTrue(JetStreamManagement jsm, JetStream js) throws Exception {
        jsm.addStream(StreamConfiguration.builder().name("W").subjects("w").build());
        CompletableFuture<Void> publisher = CompletableFuture.runAsync(() -> {
            try {
                for (int i = 0; i < 500; i++) {
                    js.publishAsync("w", new byte[0]);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThatStream(jsm, "W").within(Duration.ofSeconds(10)).hasMessages(500);
        publisher.join();
    }

    @Test
    void waitingVariantFailsWithTheLastStateWhenTheTimeoutEnds(JetStreamManagement jsm) throws Exception {
        jsm.addStream(StreamConfiguration.builder().name("E").subjects("e").build());
        assertThatThrownBy(() -> assertThatStream(jsm, "E").within(Duration.ofMillis(200)).hasMessages(1))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Not true within PT0.2S")
                .hasMessageContaining("messages in stream E");
    }

    @Test
    void consumerAssertionsFollowDeliveryAndAcks(JetStreamManagement jsm, JetStream js) throws Exception {
        jsm.addStream(StreamConfiguration.builder().name("C").subjects("c").build());
        for (int i = 0; i < 5; i++) {
            js.publish("c", new byte[0]);
        }
        jsm.addOrUpdateConsumer("C", ConsumerConfiguration.builder().durable("worker")
                .ackPolicy(AckPolicy.Explicit).build());
        assertThatConsumer(jsm, "C", "worker").exists().hasNumPending(5).hasNumAckPending(0).hasAckFloor(0);

        JetStreamSubscription sub = js.subscribe(null, PullSubscribeOptions.bind("C", "worker"));
        List<Message> batch = sub.fetch(3, Duration.ofSeconds(2));
        batch.forEach(Message::ack);
        assertThatConsumer(jsm, "C", "worker").within(Duration.ofSeconds(5))
                .hasNumPending(2).hasNumAckPending(0).hasAckFloor(3).hasDeliveredStreamSequence(3);

        sub.fetch(2, Duration.ofSeconds(2)).forEach(Message::ack);
        assertThatConsumer(jsm, "C", "worker").within(Duration.ofSeconds(5)).isDrained().hasNumRedelivered(0);

        assertThatThrownBy(() -> assertThatConsumer(jsm, "C", "ghost").exists())
                .isInstanceOf(AssertionError.class).hasMessageContaining("no such consumer");
    }
}
