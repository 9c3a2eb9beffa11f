package io.natsmigrate.dualpublish;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.PublishOptions;
import io.nats.client.Subscription;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.natsmigrate.testkit.NatsTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static io.natsmigrate.testkit.NatsAssertions.assertThatStream;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The domain facts behind same-subject awareness, shown on a real server, and what the dual publisher does about
 * them. Each test counts Core deliveries and stored messages.
 */
@NatsTest
class SameSubjectTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private static void events(JetStreamManagement jsm) throws Exception {
        jsm.addStream(StreamConfiguration.builder().name("EVENTS").subjects("events").build());
    }

    /** Everything the server sent to the subscriber before this point has arrived (publisher and subscriber flush). */
    private static long delivered(Connection nc, Subscription sub) throws Exception {
        nc.flush(WAIT);
        return sub.getPendingMessageCount();
    }

    @Test
    void aJetStreamPublishIsARequestThatCoreSubscribersReceive(Connection nc, JetStreamManagement jsm) throws Exception {
        events(jsm);
        Subscription sub = nc.subscribe("events");
        nc.flush(WAIT);
        nc.jetStream().publish("events", "x".getBytes());
        assertThat(delivered(nc, sub)).isEqualTo(1);
        Message m = sub.nextMessage(WAIT);
        assertThat(m.getReplyTo()).startsWith("_INBOX."); // the JetStream ack inbox
        assertThatStream(jsm, "EVENTS").hasMessages(1);
    }

    @Test
    void aCorePublishIsStoredByTheStreamWithoutAnAck(Connection nc, JetStreamManagement jsm) throws Exception {
        events(jsm);
        nc.publish("events", "x".getBytes());
        assertThatStream(jsm, "EVENTS").within(WAIT).hasMessages(1);
    }

    @Test
    void naiveDualPublishingStoresTwiceAndDeliversTwice(Connection nc, JetStreamManagement jsm) throws Exception {
        events(jsm);
        Subscription sub = nc.subscribe("events");
        nc.flush(WAIT);
        nc.publish("events", "x".getBytes());                 // legacy leg
        nc.jetStream().publish("events", "x".getBytes());     // JetStream leg
        assertThat(delivered(nc, sub)).isEqualTo(2);
        assertThatStream(jsm, "EVENTS").within(WAIT).hasMessages(2);

        // The same Msg-Id on both legs makes the stream store once, but Core subscribers still get two copies.
        Headers h = new Headers().put("Nats-Msg-Id", "same");
        nc.publish(NatsMessage.builder().subject("events").headers(h).data("y").build());
        assertThat(nc.jetStream().publish("events", "y".getBytes(), PublishOptions.builder().messageId("same").build())
                .isDuplicate()).isTrue();
        assertThat(delivered(nc, sub)).isEqualTo(4);
        assertThatStream(jsm, "EVENTS").hasMessages(3);
    }

    @Test
    void dualPublisherSendsOneJetStreamPublishThatServesBoth(Connection nc, JetStreamManagement jsm) throws Exception {
        events(jsm);
        Subscription sub = nc.subscribe("events");
        nc.flush(WAIT);
        try (DualPublisher p = DualPublisher.builder().legacy(LegacyLeg.nats(nc)).jetStream(nc, "EVENTS")
                .mode(PublishMode.DUAL).build()) {
            for (int i = 0; i < 10; i++) {
                DualPublishResult r = p.publish("events", ("m" + i).getBytes());
                assertThat(r.jetStream()).isNotNull();
                r.jetStream().get(5, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
        assertThat(delivered(nc, sub)).isEqualTo(10);
        assertThatStream(jsm, "EVENTS").hasMessages(10);
    }

    @Test
    void corePublishWithMsgIdStrategyStoresOnceAndDeliversOnce(Connection nc, JetStreamManagement jsm) throws Exception {
        events(jsm);
        Subscription sub = nc.subscribe("events");
        nc.flush(WAIT);
        try (DualPublisher p = DualPublisher.builder().legacy(LegacyLeg.nats(nc)).jetStream(nc, "EVENTS")
                .sameSubjectStrategy(SameSubjectStrategy.CORE_PUBLISH_WITH_MSG_ID).mode(PublishMode.DUAL).build()) {
            for (int i = 0; i < 10; i++) {
                assertThat(p.publish("events", ("m" + i).getBytes()).jetStream()).isNull(); // no ack on this path
            }
        }
        assertThat(delivered(nc, sub)).isEqualTo(10);
        assertThatStream(jsm, "EVENTS").within(WAIT).hasMessages(10);
        assertThat(sub.nextMessage(WAIT).getReplyTo()).isNull();
    }

    @Test
    void differentSubjectsGetOnePublishEach(Connection nc, JetStreamManagement jsm) throws Exception {
        jsm.addStream(StreamConfiguration.builder().name("JS").subjects("js.>").build());
        Subscription legacySub = nc.subscribe("events");
        Subscription jsSideSub = nc.subscribe("js.events");
        nc.flush(WAIT);
        try (DualPublisher p = DualPublisher.builder().legacy(LegacyLeg.nats(nc)).jetStream(nc, "JS")
                .subjectMapping(s -> "js." + s).mode(PublishMode.DUAL).build()) {
            p.publish("events", "x".getBytes()).jetStream().get(5, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertThat(delivered(nc, legacySub)).isEqualTo(1);
        assertThat(delivered(nc, jsSideSub)).isEqualTo(1);
        assertThatStream(jsm, "JS").hasMessages(1);
        assertThat(legacySub.nextMessage(WAIT).getHeaders().getFirst("Nats-Msg-Id"))
                .isEqualTo(jsm.getMessage("JS", 1).getHeaders().getFirst("Nats-Msg-Id"));
    }

    /**
     * A request/reply responder on the subject sees a JetStream publish as a request whose reply subject is the
     * publisher's ack inbox. Its answer races the server's ack into that inbox. With CORE_PUBLISH_WITH_MSG_ID the
     * responder sees an ordinary message without reply subject and is not drawn in.
     */
    @Test
    void aResponderOnTheSubjectSeesTheAckInboxUnlessTheCoreStrategyIsUsed(Connection nc, JetStreamManagement jsm)
            throws Exception {
        events(jsm);
        CompletableFuture<String> replyToSeen = new CompletableFuture<>();
        nc.createDispatcher(m -> replyToSeen.complete(String.valueOf(m.getReplyTo()))).subscribe("events");
        nc.flush(WAIT);
        try (DualPublisher p = DualPublisher.builder().legacy(LegacyLeg.nats(nc)).jetStream(nc, "EVENTS")
                .mode(PublishMode.DUAL).build()) {
            p.publish("events", "x".getBytes()).jetStream().get(5, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertThat(replyToSeen.get(5, java.util.concurrent.TimeUnit.SECONDS)).startsWith("_INBOX.");

        CompletableFuture<String> coreReplyTo = new CompletableFuture<>();
        nc.createDispatcher(m -> coreReplyTo.complete(String.valueOf(m.getReplyTo()))).subscribe("events");
        nc.flush(WAIT);
        try (DualPublisher p = DualPublisher.builder().legacy(LegacyLeg.nats(nc)).jetStream(nc, "EVENTS")
                .sameSubjectStrategy(SameSubjectStrategy.CORE_PUBLISH_WITH_MSG_ID).mode(PublishMode.DUAL).build()) {
            p.publish("events", "y".getBytes());
        }
        assertThat(coreReplyTo.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("null");
        assertThatStream(jsm, "EVENTS").within(WAIT).hasMessages(2);
    }
}
