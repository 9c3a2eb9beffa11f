package io.natsmigrate.core;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.External;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.Source;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.natsmigrate.testkit.CrossSystemTopology;
import io.natsmigrate.testkit.NatsTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.natsmigrate.testkit.NatsAssertions.assertThatStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What nats-server does that the cross-system recipe's design rests on, recorded on real servers. */
class CrossSystemFactsTest {

    /**
     * Without deny rules on the leaf's remote to the target, a target stream that owns the subjects and still
     * sources the bridge stores each message twice: the leaf forwards the old system's messages to the target,
     * and the sourced copy is not deduplicated against the direct one even with the same Nats-Msg-Id.
     */
    @Test
    void anOpenBridgeStoresEveryMessageTwiceOnceTheTargetOwnsTheSubjects() throws Exception {
        try (CrossSystemTopology topo = CrossSystemTopology.builder().start();
             Connection source = topo.source().connect();
             Connection leaf = topo.leaf().connect();
             Connection target = topo.target().connect()) {
            leaf.jetStreamManagement().addStream(StreamConfiguration.builder().name("Q").subjects("q.>").build());
            target.jetStreamManagement().addStream(StreamConfiguration.builder().name("Q").subjects("q.>")
                    .sources(Source.builder().name("Q").external(External.builder().api("$JS.leaf.API").build())
                            .build()).build());
            // Interest from the target's stream has to reach the old system through the leaf first.
            java.util.concurrent.atomic.AtomicLong probes = new java.util.concurrent.atomic.AtomicLong();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
                source.publish("q.probe", new byte[0]);
                source.flush(Duration.ofSeconds(1));
                probes.incrementAndGet();
                return target.jetStreamManagement().getStreamInfo("Q").getStreamState().getMsgCount()
                        > leaf.jetStreamManagement().getStreamInfo("Q").getStreamState().getMsgCount();
            });
            // Let the bridge deliver every probe, then count.
            assertThatStream(leaf.jetStreamManagement(), "Q").within(Duration.ofSeconds(5)).hasMessages(probes.get());
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> target.jetStreamManagement()
                    .getStreamInfo("Q").getSourceInfos().get(0).getLag() == 0);
            long settled = target.jetStreamManagement().getStreamInfo("Q").getStreamState().getMsgCount();

            source.jetStream().publish(NatsMessage.builder().subject("q.x")
                    .headers(new Headers().add("Nats-Msg-Id", "one")).data(new byte[]{1}).build());
            assertThatStream(target.jetStreamManagement(), "Q").within(Duration.ofSeconds(5))
                    .hasMessages(settled + 2);
        }
    }

    @NatsTest
    @Test
    void retentionChangesAndWorkQueueConsumers(JetStreamManagement jsm, Connection nc) throws Exception {
        jsm.addStream(StreamConfiguration.builder().name("L").subjects("l").build());
        nc.jetStream().publish("l", new byte[0]);
        // limits -> interest is allowed; with no consumer the interest stream drops what it held.
        jsm.updateStream(StreamConfiguration.builder(jsm.getStreamInfo("L").getConfiguration())
                .retentionPolicy(RetentionPolicy.Interest).build());
        assertThat(jsm.getStreamInfo("L").getStreamState().getMsgCount()).isZero();

        jsm.addStream(StreamConfiguration.builder().name("W").subjects("w").build());
        assertThatThrownBy(() -> jsm.updateStream(StreamConfiguration.builder(jsm.getStreamInfo("W")
                .getConfiguration()).retentionPolicy(RetentionPolicy.WorkQueue).build()))
                .isInstanceOf(JetStreamApiException.class)
                .satisfies(e -> assertThat(((JetStreamApiException) e).getApiErrorCode()).isEqualTo(10052));

        jsm.addStream(StreamConfiguration.builder().name("Q").subjects("q").retentionPolicy(RetentionPolicy.WorkQueue)
                .build());
        assertThatThrownBy(() -> jsm.addOrUpdateConsumer("Q", ConsumerConfiguration.builder().durable("c")
                .deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(2).build()))
                .isInstanceOf(JetStreamApiException.class)
                .satisfies(e -> assertThat(((JetStreamApiException) e).getApiErrorCode()).isEqualTo(10101));
    }
}
