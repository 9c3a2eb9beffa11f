package io.natsmigrate.reliable;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.primitives.InvalidSubjectException;
import io.natsmigrate.testkit.NatsTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@NatsTest
class OptimisticUpdaterTest {

    @Test
    void eightWritersTimesFiveHundredIncrementsEndAtExactlyFourThousand(Connection nc, JetStreamManagement jsm)
            throws Exception {
        jsm.addStream(StreamConfiguration.builder().name("AGG").subjects("agg.>").build());
        AtomicLong conflicts = new AtomicLong();
        try (ReliablePublisher publisher = ReliablePublisher.builder(nc).build()) {
            OptimisticUpdater updater = OptimisticUpdater.builder(publisher, nc).maxAttempts(1_000).build();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        UpdateResult r = updater.update("agg.counter", last -> increment(last.map(StoredMessage::data)
                                .orElse(null)));
                        conflicts.addAndGet(r.conflicts());
                    }
                    return null;
                }));
            }
            for (Future<?> f : writers) {
                f.get();
            }
            pool.shutdown();
        }
        byte[] finalValue = jsm.getLastMessage("AGG", "agg.counter").getData();
        assertThat(new String(finalValue, StandardCharsets.UTF_8)).isEqualTo("4000");
        // Every increment is one stored message: no lost update, no double write.
        assertThat(jsm.getStreamInfo("AGG").getStreamState().getMsgCount()).isEqualTo(4_000);
        assertThat(conflicts.get()).as("contention must actually happen for this test to mean something").isPositive();
        System.out.println("cas: 4000 increments by 8 writers, conflicts=" + conflicts.get());
    }

    @Test
    void expectedSequenceHelpersRaiseTypedConflicts(Connection nc, JetStreamManagement jsm) throws Exception {
        jsm.addStream(StreamConfiguration.builder().name("ES").subjects("es.>").build());
        try (ReliablePublisher p = ReliablePublisher.builder(nc).build()) {
            p.publish("es.a", "1".getBytes(), Expectation.lastSubjectSequence(0));
            p.publish("es.b", "2".getBytes(), Expectation.lastSequence(1));
            assertThatThrownBy(() -> p.publish("es.a", "x".getBytes(), Expectation.lastSubjectSequence(0)))
                    .isInstanceOf(ExpectationFailedException.class)
                    .satisfies(e -> {
                        ExpectationFailedException x = (ExpectationFailedException) e;
                        assertThat(x.kind()).isEqualTo(ExpectationFailedException.Kind.WRONG_LAST_SEQUENCE);
                        assertThat(x.apiErrorCode()).isIn(10071, 10164);
                        assertThat(x.serverDescription()).isNotBlank();
                    });
            assertThatThrownBy(() -> p.publish("es.a", "x".getBytes(), Expectation.lastSequence(1)))
                    .isInstanceOf(ExpectationFailedException.class);
            // 2.11+ filter form: the last sequence on any es.* subject is 2 (es.b)
            p.publish("es.c", "3".getBytes(), Expectation.lastSubjectSequence(2, "es.*"));
            assertThatThrownBy(() -> p.publish("es.c", "x".getBytes(), Expectation.lastSubjectSequence(2, "es.*")))
                    .isInstanceOf(ExpectationFailedException.class);
            // last msg id
            var h = new io.nats.client.impl.Headers().put("Nats-Msg-Id", "m-4");
            p.publish("es.d", h, "4".getBytes(), io.natsmigrate.reliable.Expectation.none());
            p.publish("es.d", "5".getBytes(), Expectation.lastMsgId("m-4"));
            assertThatThrownBy(() -> p.publish("es.d", "6".getBytes(), Expectation.lastMsgId("m-4")))
                    .isInstanceOf(ExpectationFailedException.class)
                    .satisfies(e -> assertThat(((ExpectationFailedException) e).kind())
                            .isEqualTo(ExpectationFailedException.Kind.WRONG_LAST_MSG_ID));
            assertThatThrownBy(() -> p.publish("es.d", "7".getBytes(), Expectation.stream("OTHER")))
                    .isInstanceOf(ExpectationFailedException.class)
                    .satisfies(e -> assertThat(((ExpectationFailedException) e).apiErrorCode()).isEqualTo(10060));
        }
        assertThat(jsm.getStreamInfo("ES").getStreamState().getMsgCount()).isEqualTo(5);
    }

    @Test
    void badArgumentsAreRejected(Connection nc, JetStreamManagement jsm) throws Exception {
        jsm.addStream(StreamConfiguration.builder().name("ES").subjects("es.>").build());
        assertThatThrownBy(() -> Expectation.lastSequence(-1)).hasMessageContaining(">= 0");
        assertThatThrownBy(() -> Expectation.lastMsgId(" ")).hasMessageContaining("blank");
        assertThatThrownBy(() -> Expectation.lastSubjectSequence(1, "a.>.b")).isInstanceOf(InvalidSubjectException.class);
        try (ReliablePublisher p = ReliablePublisher.builder(nc).build()) {
            OptimisticUpdater u = OptimisticUpdater.builder(p, nc).build();
            assertThatThrownBy(() -> u.update("es.*", x -> new byte[0])).isInstanceOf(InvalidSubjectException.class);
            assertThatThrownBy(() -> u.update("none.x", x -> new byte[0]))
                    .isInstanceOf(NoStreamForSubjectException.class);
            assertThatThrownBy(() -> OptimisticUpdater.builder(p, nc).maxAttempts(0)).hasMessageContaining("at least 1");
        }
    }

    private static byte[] increment(byte[] current) {
        long v = current == null ? 0 : Long.parseLong(new String(current, StandardCharsets.UTF_8));
        return Long.toString(v + 1).getBytes(StandardCharsets.UTF_8);
    }
}
