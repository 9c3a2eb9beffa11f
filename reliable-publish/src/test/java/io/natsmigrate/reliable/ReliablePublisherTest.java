package io.natsmigrate.reliable;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.natsmigrate.primitives.InvalidSubjectException;
import io.natsmigrate.testkit.NatsServer;
import io.natsmigrate.testkit.NatsTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;

import static io.natsmigrate.testkit.NatsAssertions.assertThatStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@NatsTest
class ReliablePublisherTest {

    private static void stream(JetStreamManagement jsm, String name, String subjects) throws Exception {
        jsm.addStream(StreamConfiguration.builder().name(name).subjects(subjects).build());
    }

    @Test
    void syncPublishReturnsTheAckAndSetsAMsgId(Connection nc, JetStreamManagement jsm) throws Exception {
        stream(jsm, "S", "s.>");
        try (ReliablePublisher p = ReliablePublisher.builder(nc).build()) {
            PublishAck ack = p.publish("s.a", "one".getBytes());
            assertThat(ack.getStream()).isEqualTo("S");
            assertThat(ack.getSeqno()).isEqualTo(1);
            assertThat(ack.isDuplicate()).isFalse();
        }
        assertThat(jsm.getMessage("S", 1).getHeaders().getFirst("Nats-Msg-Id")).isNotBlank();
    }

    @Test
    void callersMsgIdIsKeptAndADuplicateCountsAsSuccess(Connection nc, JetStreamManagement jsm) throws Exception {
        stream(jsm, "S", "s.>");
        List<String> events = new CopyOnWriteArrayList<>();
        try (ReliablePublisher p = ReliablePublisher.builder(nc).listener(new PublishListener() {
            @Override
            public void acked(String subject, String msgId, PublishAck ack) {
                events.add("acked " + msgId);
            }

            @Override
            public void duplicate(String subject, String msgId, PublishAck ack) {
                events.add("duplicate " + msgId);
            }
        }).build()) {
            Headers h = new Headers().put("Nats-Msg-Id", "order-42");
            PublishAck first = p.publish(NatsMessage.builder().subject("s.a").headers(h).data("x").build());
            PublishAck second = p.publish(NatsMessage.builder().subject("s.a").headers(h).data("x").build());
            assertThat(first.isDuplicate()).isFalse();
            assertThat(second.isDuplicate()).isTrue();
            assertThat(second.getSeqno()).isEqualTo(first.getSeqno());
            assertThat(p.stats().duplicates()).isEqualTo(1);
        }
        assertThat(events).containsExactly("acked order-42", "duplicate order-42");
        assertThatStream(jsm, "S").hasMessages(1);
    }

    @Test
    void contentHashAndBusinessKeyStrategiesDeduplicateResends(Connection nc, JetStreamManagement jsm) throws Exception {
        stream(jsm, "S", "s.>");
        try (ReliablePublisher byContent = ReliablePublisher.builder(nc).msgIdStrategy(MsgIdStrategy.contentHash()).build();
             ReliablePublisher byKey = ReliablePublisher.builder(nc)
                     .msgIdStrategy(MsgIdStrategy.businessKey(m -> "key-" + new String(m.getData()).split(":")[0]))
                     .build()) {
            byContent.publish("s.c", "same".getBytes());
            assertThat(byContent.publish("s.c", "same".getBytes()).isDuplicate()).isTrue();
            assertThat(byContent.publish("s.c", "other".getBytes()).isDuplicate()).isFalse();
            byKey.publish("s.k", "7:first".getBytes());
            assertThat(byKey.publish("s.k", "7:second".getBytes()).isDuplicate()).isTrue();
        }
        assertThatStream(jsm, "S").hasMessages(3);
    }

    @Test
    void asyncPublishesEverythingWithABoundedWindow(Connection nc, JetStreamManagement jsm) throws Exception {
        stream(jsm, "S", "s.>");
        try (ReliablePublisher p = ReliablePublisher.builder(nc).maxInFlight(16).build()) {
            List<CompletableFuture<PublishAck>> futures = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                futures.add(p.publishAsync("s.async", new byte[128]));
                assertThat(p.stats().inFlight()).isLessThanOrEqualTo(16);
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get();
            assertThat(p.flush(Duration.ofSeconds(5)).allConfirmed()).isTrue();
            assertThat(p.stats().acked()).isEqualTo(2_000);
        }
        assertThatStream(jsm, "S").hasMessages(2_000);
    }

    @Test
    void perSubjectOrderingKeepsCallOrder(Connection nc, JetStreamManagement jsm) throws Exception {
        stream(jsm, "S", "s.>");
        try (ReliablePublisher p = ReliablePublisher.builder(nc).ordering(Ordering.PER_SUBJECT).build()) {
            List<CompletableFuture<PublishAck>> futures = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                futures.add(p.publishAsync("s." + (i % 3), Integer.toString(i).getBytes()));
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get();
        }
        for (int s = 0; s < 3; s++) {
            List<Integer> seen = new ArrayList<>();
            for (long seq = 1; seq <= 300; seq++) {
                var m = jsm.getMessage("S", seq);
                if (m.getSubject().equals("s." + s)) {
                    seen.add(Integer.parseInt(new String(m.getData())));
                }
            }
            assertThat(seen).hasSize(100).isSorted();
        }
    }

    @Test
    void failFastBackpressureRefusesWhenTheWindowIsFull(NatsServer server, Connection nc, JetStreamManagement jsm)
            throws Exception {
        stream(jsm, "S", "s.>");
        try (ReliablePublisher p = ReliablePublisher.builder(nc).maxInFlight(2).backpressure(Backpressure.FAIL_FAST)
                .retryPolicy(RetryPolicy.builder().deadline(Duration.ofSeconds(20)).build()).build()) {
            p.publish("s.warm", new byte[0]); // learns the stream while the server answers
            server.pause();                   // acks stop coming: the window fills
            try {
                p.publishAsync("s.a", new byte[0]);
                p.publishAsync("s.b", new byte[0]);
                // Like every per-message failure, through the future.
                assertThat(p.publishAsync("s.c", new byte[0])).failsWithin(Duration.ofSeconds(5))
                        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                        .withCauseInstanceOf(InFlightLimitException.class).withMessageContaining("window of 2");
            } finally {
                server.resume();
            }
            assertThat(p.flush(Duration.ofSeconds(15)).allConfirmed()).isTrue();
        }
        assertThatStream(jsm, "S").hasMessages(3);
    }

    @Test
    void noStreamForTheSubjectFailsAtOnce(Connection nc, JetStreamManagement jsm) throws Exception {
        stream(jsm, "S", "s.>");
        try (ReliablePublisher p = ReliablePublisher.builder(nc).build()) {
            assertThatThrownBy(() -> p.publish("nowhere.x", new byte[0]))
                    .isInstanceOf(NoStreamForSubjectException.class)
                    .hasMessageContaining("nowhere.x").hasMessageContaining("Create a stream");
            assertThat(p.stats().failed()).isEqualTo(1);
        }
    }

    @Test
    void invalidSubjectsAndArgumentsAreRejected(Connection nc, JetStreamManagement jsm) throws Exception {
        stream(jsm, "S", "s.>");
        try (ReliablePublisher p = ReliablePublisher.builder(nc).build()) {
            assertThatThrownBy(() -> p.publish("s.*", new byte[0])).isInstanceOf(InvalidSubjectException.class)
                    .hasMessageContaining("wildcard");
            assertThatThrownBy(() -> p.publish("s.>", new byte[0])).isInstanceOf(InvalidSubjectException.class);
            assertThatThrownBy(() -> p.publish("", new byte[0])).isInstanceOf(InvalidSubjectException.class)
                    .hasMessageContaining("empty");
            assertThatThrownBy(() -> p.publish(null, new byte[0])).isInstanceOf(InvalidSubjectException.class)
                    .hasMessageContaining("null");
            assertThatThrownBy(() -> p.publish("s. a", new byte[0])).isInstanceOf(InvalidSubjectException.class)
                    .hasMessageContaining("whitespace");
            assertThatThrownBy(() -> p.publish("s..a", new byte[0])).isInstanceOf(InvalidSubjectException.class)
                    .hasMessageContaining("empty token");
            assertThatThrownBy(() -> p.publish("s.a", new byte[0], null)).isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("Expectation.none()");
            assertThatThrownBy(() -> ReliablePublisher.builder(nc).msgIdStrategy(m -> "").build().publish("s.a", null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no Msg-Id");
            // null data is an empty payload, not an error
            assertThat(p.publish("s.a", null).getSeqno()).isPositive();
        }
        assertThatThrownBy(() -> ReliablePublisher.builder(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ReliablePublisher.builder(nc).maxInFlight(0)).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> ReliablePublisher.builder(nc).stream("a.b")).hasMessageContaining("invalid");
    }

    @Test
    void oversizePayloadsFailWithTheLimit(Connection nc, JetStreamManagement jsm) throws Exception {
        jsm.addStream(StreamConfiguration.builder().name("S").subjects("s.>").maximumMessageSize(1024).build());
        try (ReliablePublisher p = ReliablePublisher.builder(nc).build()) {
            assertThatThrownBy(() -> p.publish("s.a", new byte[(int) nc.getMaxPayload() + 1]))
                    .isInstanceOf(PayloadTooLargeException.class).hasMessageContaining("max_payload");
            assertThatThrownBy(() -> p.publish("s.a", new byte[2048]))
                    .isInstanceOf(PayloadTooLargeException.class).hasMessageContaining("max_msg_size of stream S")
                    .satisfies(e -> assertThat(((PayloadTooLargeException) e).limit()).isEqualTo(1024));
        }
        assertThatStream(jsm, "S").isEmpty();
    }

    @Test
    void unknownStreamAndShortDedupWindowAreRefusedAtBuild(Connection nc, JetStreamManagement jsm) throws Exception {
        jsm.addStream(StreamConfiguration.builder().name("SHORT").subjects("short.>")
                .duplicateWindow(Duration.ofSeconds(5)).build());
        assertThatThrownBy(() -> ReliablePublisher.builder(nc).stream("MISSING").build())
                .isInstanceOf(NoSuchStreamException.class).hasMessageContaining("MISSING");
        assertThatThrownBy(() -> ReliablePublisher.builder(nc).stream("SHORT")
                .retryPolicy(RetryPolicy.builder().deadline(Duration.ofSeconds(30)).build()).build())
                .isInstanceOf(DedupWindowTooShortException.class)
                .hasMessageContaining("PT5S").hasMessageContaining("PT30S");
        // without a configured stream the check runs on first publish to the stream
        try (ReliablePublisher p = ReliablePublisher.builder(nc)
                .retryPolicy(RetryPolicy.builder().deadline(Duration.ofSeconds(30)).build()).build()) {
            assertThatThrownBy(() -> p.publish("short.a", new byte[0])).isInstanceOf(DedupWindowTooShortException.class);
        }
        try (ReliablePublisher p = ReliablePublisher.builder(nc).dedupWindowCheck(DedupWindowCheck.WARN)
                .retryPolicy(RetryPolicy.builder().deadline(Duration.ofSeconds(30)).build()).build()) {
            assertThat(p.publish("short.a", new byte[0]).getSeqno()).isEqualTo(1);
        }
    }

    @Test
    void expectedStreamRejectsAMessageThatLandsElsewhere(Connection nc, JetStreamManagement jsm) throws Exception {
        stream(jsm, "A", "a.>");
        stream(jsm, "B", "b.>");
        try (ReliablePublisher p = ReliablePublisher.builder(nc).stream("A").build()) {
            assertThat(p.publish("a.1", new byte[0]).getStream()).isEqualTo("A");
            assertThatThrownBy(() -> p.publish("b.1", new byte[0]))
                    .isInstanceOf(ExpectationFailedException.class)
                    .satisfies(e -> {
                        ExpectationFailedException x = (ExpectationFailedException) e;
                        assertThat(x.kind()).isEqualTo(ExpectationFailedException.Kind.WRONG_STREAM);
                        assertThat(x.apiErrorCode()).isEqualTo(10060);
                    });
        }
        assertThatStream(jsm, "B").isEmpty();
    }

    @Test
    void closedConnectionAndClosedPublisherAreReported(NatsServer server, JetStreamManagement jsm) throws Exception {
        stream(jsm, "S", "s.>");
        Connection own = server.connect();
        ReliablePublisher p = ReliablePublisher.builder(own).build();
        p.publish("s.a", new byte[0]);
        own.close();
        assertThatThrownBy(() -> p.publish("s.a", new byte[0])).isInstanceOf(PublisherClosedException.class)
                .hasMessageContaining("CLOSED");
        p.close();
        assertThat(p.publishAsync("s.a", new byte[0])).failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(PublisherClosedException.class);
        assertThatThrownBy(() -> ReliablePublisher.builder(own).build()).isInstanceOf(PublisherClosedException.class);
    }

    @Test
    void closeReportsExactlyWhichMessagesAreUnconfirmed(NatsServer server, Connection nc, JetStreamManagement jsm)
            throws Exception {
        stream(jsm, "S", "s.>");
        ReliablePublisher p = ReliablePublisher.builder(nc).closeTimeout(Duration.ofMillis(300)).build();
        p.publish("s.warm", new byte[0]);
        server.pause();
        try {
            CompletableFuture<PublishAck> a = p.publishAsync("s.a", new byte[0]);
            CompletableFuture<PublishAck> b = p.publishAsync("s.b", new byte[0]);
            assertThatThrownBy(p::close).isInstanceOf(UnconfirmedMessagesException.class)
                    .satisfies(e -> assertThat(((UnconfirmedMessagesException) e).report().unconfirmed())
                            .extracting(UnconfirmedMessage::subject).containsExactly("s.a", "s.b"));
            assertThatThrownBy(a::get).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(PublisherClosedException.class);
            assertThatThrownBy(b::get).hasCauseInstanceOf(PublisherClosedException.class);
        } finally {
            server.resume();
        }
    }

    @Test
    void retriesExhaustedCarriesTheMsgIdAndReason(NatsServer server, Connection nc, JetStreamManagement jsm)
            throws Exception {
        stream(jsm, "S", "s.>");
        try (ReliablePublisher p = ReliablePublisher.builder(nc).closeTimeout(Duration.ZERO)
                .retryPolicy(RetryPolicy.builder().maxAttempts(2).attemptTimeout(Duration.ofMillis(200))
                        .initialBackoff(Duration.ofMillis(10)).deadline(Duration.ofSeconds(5)).build()).build()) {
            p.publish("s.warm", new byte[0]);
            server.pause();
            try {
                assertThatThrownBy(() -> p.publish("s.a", new byte[0]))
                        .isInstanceOf(RetriesExhaustedException.class)
                        .satisfies(e -> {
                            RetriesExhaustedException r = (RetriesExhaustedException) e;
                            assertThat(r.attempts()).isEqualTo(2);
                            assertThat(r.lastReason()).isEqualTo(FailureReason.TIMEOUT);
                            assertThat(r.msgId()).isNotBlank();
                        });
            } finally {
                server.resume();
            }
        }
    }
}
