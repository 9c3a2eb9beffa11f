package io.natsmigrate.reliable;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.natsmigrate.primitives.ServerTooOldException;
import io.natsmigrate.testkit.NatsServer;
import io.natsmigrate.testkit.NatsServerBinary;
import io.natsmigrate.testkit.NatsTest;
import org.junit.jupiter.api.Test;

import static io.natsmigrate.testkit.NatsAssertions.assertThatStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@NatsTest
class AtomicBatchTest {

    private static void atomicStream(JetStreamManagement jsm) throws Exception {
        jsm.addStream(StreamConfiguration.builder().name("B").subjects("b.>").allowAtomicPublish(true).build());
    }

    @Test
    void commitStoresEverythingAndTheAckIsValidated(Connection nc, JetStreamManagement jsm) throws Exception {
        atomicStream(jsm);
        BatchAck ack;
        try (AtomicBatch batch = AtomicBatch.start(nc)) {
            for (int i = 0; i < 250; i++) {
                batch.add("b.item", ("m" + i).getBytes());
            }
            assertThatStream(jsm, "B").isEmpty(); // nothing visible before the commit
            ack = batch.commit("b.done", "last".getBytes());
            assertThat(ack.batchId()).isEqualTo(batch.batchId());
        }
        assertThat(ack.stream()).isEqualTo("B");
        assertThat(ack.count()).isEqualTo(251);
        assertThat(ack.lastSequence()).isEqualTo(251);
        assertThatStream(jsm, "B").hasMessages(251).hasSubjectCount("b.done", 1);
    }

    @Test
    void eobCommitStoresNoFinalMessage(Connection nc, JetStreamManagement jsm) throws Exception {
        atomicStream(jsm);
        try (AtomicBatch batch = AtomicBatch.start(nc)) {
            batch.add("b.x", "1".getBytes());
            batch.add("b.x", "2".getBytes());
            BatchAck ack = batch.commit();
            assertThat(ack.count()).isEqualTo(2);
        }
        assertThatStream(jsm, "B").hasMessages(2);
    }

    @Test
    void msgIdsInsideABatchDeduplicateAcrossBatches(Connection nc, JetStreamManagement jsm) throws Exception {
        atomicStream(jsm);
        try (AtomicBatch batch = AtomicBatch.start(nc)) {
            batch.add("b.x", new Headers().put("Nats-Msg-Id", "a"), "1".getBytes(), Expectation.none());
            batch.commit("b.x", new Headers().put("Nats-Msg-Id", "b"), "2".getBytes(), Expectation.none());
        }
        try (AtomicBatch batch = AtomicBatch.start(nc)) {
            batch.add("b.x", new Headers().put("Nats-Msg-Id", "c"), "3".getBytes(), Expectation.none());
            assertThatThrownBy(() -> batch.commit("b.x", new Headers().put("Nats-Msg-Id", "c"), "4".getBytes(),
                    Expectation.none()))
                    .isInstanceOf(AtomicBatchException.class)
                    .satisfies(e -> assertThat(((AtomicBatchException) e).reason())
                            .isEqualTo(AtomicBatchException.Reason.DUPLICATE_MSG_ID));
        }
        assertThatStream(jsm, "B").hasMessages(2);
    }

    @Test
    void expectationOnTheFirstMessageIsCheckedAtCommit(Connection nc, JetStreamManagement jsm) throws Exception {
        atomicStream(jsm);
        try (AtomicBatch batch = AtomicBatch.start(nc)) {
            batch.add("b.x", "1".getBytes(), Expectation.lastSequence(0));
            batch.commit("b.x", "2".getBytes());
        }
        try (AtomicBatch batch = AtomicBatch.start(nc)) {
            batch.add("b.x", "3".getBytes(), Expectation.lastSequence(0)); // stale: the stream is at 2
            assertThatThrownBy(() -> batch.commit("b.x", "4".getBytes()))
                    .isInstanceOf(ExpectationFailedException.class);
        }
        assertThatStream(jsm, "B").hasMessages(2);
    }

    @Test
    void streamWithoutAllowAtomicFailsAtTheFirstMessage(Connection nc, JetStreamManagement jsm) throws Exception {
        jsm.addStream(StreamConfiguration.builder().name("PLAIN").subjects("p.>").build());
        try (AtomicBatch batch = AtomicBatch.start(nc)) {
            assertThatThrownBy(() -> batch.add("p.x", new byte[0]))
                    .isInstanceOf(AtomicBatchException.class)
                    .hasMessageContaining("allowAtomicPublish(true)")
                    .satisfies(e -> assertThat(((AtomicBatchException) e).reason())
                            .isEqualTo(AtomicBatchException.Reason.NOT_ENABLED));
        }
    }

    @Test
    void tooLargeClosedAndBadInputAreTyped(Connection nc, JetStreamManagement jsm) throws Exception {
        atomicStream(jsm);
        try (AtomicBatch batch = AtomicBatch.start(nc, java.time.Duration.ofSeconds(5), 100, 3)) {
            batch.add("b.x", new byte[0]);
            batch.add("b.x", new byte[0]);
            batch.add("b.x", new byte[0]);
            assertThatThrownBy(() -> batch.add("b.x", new byte[0])).isInstanceOf(AtomicBatchException.class)
                    .satisfies(e -> assertThat(((AtomicBatchException) e).reason())
                            .isEqualTo(AtomicBatchException.Reason.TOO_LARGE));
        }
        AtomicBatch committed = AtomicBatch.start(nc);
        committed.commit("b.y", new byte[0]);
        assertThatThrownBy(() -> committed.add("b.y", new byte[0])).isInstanceOf(AtomicBatchException.class)
                .satisfies(e -> assertThat(((AtomicBatchException) e).reason()).isEqualTo(AtomicBatchException.Reason.CLOSED));
        try (AtomicBatch batch = AtomicBatch.start(nc)) {
            assertThatThrownBy(() -> batch.add("b.*", new byte[0])).isInstanceOf(io.natsmigrate.primitives.InvalidSubjectException.class);
            assertThatThrownBy(batch::commit).isInstanceOf(IllegalStateException.class).hasMessageContaining("Nothing to commit");
        }
        assertThatThrownBy(() -> AtomicBatch.start(null)).isInstanceOf(NullPointerException.class);
        assertThatStream(jsm, "B").hasMessages(1);
    }

    @Test
    void serverOlderThan212IsRefusedWithTheVersions() throws Exception {
        try (NatsServer old = NatsServer.builder().binary(NatsServerBinary.legacy()).start();
             Connection nc = old.connect()) {
            assertThatThrownBy(() -> AtomicBatch.start(nc)).isInstanceOf(ServerTooOldException.class)
                    .hasMessageContaining("2.12.0").hasMessageContaining("2.9.10");
        }
    }
}
