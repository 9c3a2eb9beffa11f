package io.natsmigrate.reliable;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.primitives.JetStreamErrorCodes;
import io.natsmigrate.testkit.NatsServer;
import io.natsmigrate.testkit.NatsTest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the publisher tells about itself stays true: a deleted stream is not kept as covering its subjects, counts
 * add up, every per-message failure arrives through the future, and the settings a caller overrides per message or
 * widens (retried API errors, its own scheduler) take effect.
 */
@NatsTest
class PublisherStateTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private static Throwable failureOf(CompletableFuture<PublishAck> f) throws Exception {
        try {
            f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            throw new AssertionError("expected the publish to fail");
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    /** In 0.1 the cached stream made the publisher retry "no responders" until its whole deadline passed. */
    @Test
    void aDeletedStreamFailsWithNoStreamInsteadOfRetryingUntilTheDeadline(Connection nc, JetStreamManagement jsm)
            throws Exception {
        jsm.addStream(StreamConfiguration.builder().name("GONE").subjects("gone.>").build());
        try (ReliablePublisher p = ReliablePublisher.builder(nc)
                .retryPolicy(RetryPolicy.builder().deadline(Duration.ofSeconds(60)).build()).build()) {
            p.publish("gone.a", "1".getBytes()); // the stream is now known to cover gone.>
            jsm.deleteStream("GONE");
            // Fails long before the 60 s deadline, or the bounded wait in failureOf fails the test.
            assertThat(failureOf(p.publishAsync("gone.a", "2".getBytes())))
                    .isInstanceOf(NoStreamForSubjectException.class).hasMessageContaining("gone.a");
        }
    }

    @Test
    void countsAddUpAndEveryPerMessageFailureArrivesThroughTheFuture(Connection nc, JetStreamManagement jsm)
            throws Exception {
        jsm.addStream(StreamConfiguration.builder().name("OK").subjects("ok.>").build());
        ReliablePublisher p = ReliablePublisher.builder(nc).maxInFlight(1).backpressure(Backpressure.FAIL_FAST)
                .build();
        p.publish("ok.a", "1".getBytes());
        p.publish("ok.a", new io.nats.client.impl.Headers().put("Nats-Msg-Id", "dup"), "2".getBytes(),
                Expectation.none());
        p.publish("ok.a", new io.nats.client.impl.Headers().put("Nats-Msg-Id", "dup"), "2".getBytes(),
                Expectation.none()); // a duplicate: acked, counted as a duplicate too
        assertThat(failureOf(p.publishAsync("nowhere.a", "3".getBytes())))
                .isInstanceOf(NoStreamForSubjectException.class);
        p.close();
        // After close: a failed future, not a throw.
        assertThat(failureOf(p.publishAsync("ok.a", "4".getBytes()))).isInstanceOf(PublisherClosedException.class);
        PublisherStats s = p.stats();
        assertThat(s.published()).isEqualTo(5);
        assertThat(s.acked()).isEqualTo(3);
        assertThat(s.duplicates()).isEqualTo(1);
        assertThat(s.failed()).isEqualTo(2);
        assertThat(s.published()).isEqualTo(s.acked() + s.failed() + s.inFlight());
        // Malformed arguments are the only synchronous throws.
        assertThatThrownBy(() -> p.publishAsync("bad subject", "x".getBytes()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFullWindowWithFailFastFailsTheFutureAndBackpressureIsReported(NatsServer server, Connection nc,
                                                                         JetStreamManagement jsm) throws Exception {
        jsm.addStream(StreamConfiguration.builder().name("W").subjects("w.>").build());
        List<String> events = new CopyOnWriteArrayList<>();
        PublishListener listener = new PublishListener() {
            @Override
            public void backpressureStarted(int inFlight, int maxInFlight) {
                events.add("started " + inFlight + "/" + maxInFlight);
            }

            @Override
            public void backpressureEnded(Duration blocked) {
                events.add("ended");
            }
        };
        try (ReliablePublisher failFast = ReliablePublisher.builder(nc).maxInFlight(1)
                .backpressure(Backpressure.FAIL_FAST).build();
             ReliablePublisher blocking = ReliablePublisher.builder(nc).maxInFlight(1).listener(listener).build()) {
            server.pause(); // nothing is acked: the one slot stays taken
            try {
                CompletableFuture<PublishAck> first = failFast.publishAsync("w.a", "1".getBytes());
                assertThat(failureOf(failFast.publishAsync("w.a", "2".getBytes())))
                        .isInstanceOf(InFlightLimitException.class);

                CompletableFuture<PublishAck> held = blocking.publishAsync("w.b", "1".getBytes());
                CompletableFuture<CompletableFuture<PublishAck>> waiter = CompletableFuture.supplyAsync(
                        () -> blocking.publishAsync("w.b", "2".getBytes()));
                Awaitility.await().atMost(WAIT).until(() -> blocking.stats().waiting() == 1);
                assertThat(events).containsExactly("started 1/1");
                server.resume();
                assertThat(first.get(WAIT.toSeconds(), TimeUnit.SECONDS).getSeqno()).isPositive();
                assertThat(held.get(WAIT.toSeconds(), TimeUnit.SECONDS).getSeqno()).isPositive();
                assertThat(waiter.get(WAIT.toSeconds(), TimeUnit.SECONDS).get(WAIT.toSeconds(), TimeUnit.SECONDS)
                        .getSeqno()).isPositive();
                assertThat(events).containsExactly("started 1/1", "ended");
                assertThat(blocking.stats().waiting()).isZero();
            } finally {
                server.resume();
            }
        }
    }

    @Test
    void perMessageOverridesAndWidenedRetriesAndTheCallersScheduler(Connection nc, JetStreamManagement jsm)
            throws Exception {
        jsm.addStream(StreamConfiguration.builder().name("SEQ").subjects("seq.>").build());
        ScheduledExecutorService mine = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "my-retries"));
        List<String> retryThreads = new CopyOnWriteArrayList<>();
        try (ReliablePublisher strict = ReliablePublisher.builder(nc).build();
             ReliablePublisher patient = ReliablePublisher.builder(nc).scheduler(mine)
                     .retryPolicy(RetryPolicy.builder().retryOnApiErrors(JetStreamErrorCodes.WRONG_LAST_SEQUENCE,
                             JetStreamErrorCodes.WRONG_LAST_SEQUENCE_CONSTANT).build())
                     .listener(new PublishListener() {
                         @Override
                         public void published(String subject, String msgId, int attempt) {
                             if (attempt > 1) {
                                 retryThreads.add(Thread.currentThread().getName());
                             }
                         }
                     }).build()) {
            strict.publish("seq.a", "1".getBytes());
            // A per-message expectation, without a second publisher; a wrong one fails at once by default ...
            PublishOptions afterTwo = PublishOptions.builder().expectation(Expectation.lastSequence(2)).build();
            assertThat(failureOf(strict.publishAsync("seq.a", null, "3".getBytes(), afterTwo)))
                    .isInstanceOf(ExpectationFailedException.class);
            // ... and is retried when the caller widened the retry conditions: it waits for message 2.
            CompletableFuture<PublishAck> third = patient.publishAsync("seq.a", null, "3".getBytes(), afterTwo);
            Awaitility.await().atMost(WAIT).until(() -> !retryThreads.isEmpty());
            strict.publish("seq.a", "2".getBytes());
            assertThat(third.get(WAIT.toSeconds(), TimeUnit.SECONDS).getSeqno()).isEqualTo(3);
            assertThat(retryThreads).allMatch("my-retries"::equals);
        } finally {
            assertThat(mine.isShutdown()).as("the caller's scheduler is the caller's to stop").isFalse();
            mine.shutdownNow();
        }
    }

    @Test
    void aPerMessageDeadlineEndsRetryingSoonerThanThePolicys(NatsServer server, Connection nc,
                                                            JetStreamManagement jsm) throws Exception {
        jsm.addStream(StreamConfiguration.builder().name("SLOW").subjects("slow.>").build());
        try (ReliablePublisher p = ReliablePublisher.builder(nc).build()) {
            p.publish("slow.a", "warm".getBytes());
            server.pause();
            try {
                CompletableFuture<PublishAck> f = p.publishAsync("slow.a", null, "x".getBytes(),
                        PublishOptions.builder().attemptTimeout(Duration.ofMillis(200)).deadline(Duration.ofSeconds(1))
                                .build());
                assertThat(failureOf(f)).isInstanceOf(RetriesExhaustedException.class)
                        .hasMessageContaining("deadline of PT1S");
            } finally {
                server.resume();
            }
        }
    }

    @Test
    void anAtomicBatchToASubjectWithoutStreamSaysSo(Connection nc) {
        try (AtomicBatch batch = AtomicBatch.start(nc)) {
            assertThatThrownBy(() -> batch.commit("nostream.a", "1".getBytes()))
                    .isInstanceOf(AtomicBatchException.class)
                    .satisfies(e -> assertThat(((AtomicBatchException) e).reason())
                            .isEqualTo(AtomicBatchException.Reason.NO_STREAM))
                    .hasMessageContaining("no stream listens");
        }
    }

    @Test
    void badPerMessageOptionsAndRetryConditionsAreRefused() {
        assertThatThrownBy(() -> PublishOptions.builder().attemptTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("attemptTimeout");
        assertThatThrownBy(() -> PublishOptions.builder().deadline(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deadline");
        assertThatThrownBy(() -> PublishOptions.builder().maxWaitForSlot(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxWaitForSlot");
        assertThatThrownBy(() -> PublishOptions.builder().expectation(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("Expectation.none()");
        assertThatThrownBy(() -> RetryPolicy.builder().retryOnApiErrors(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("API error codes are positive");
        assertThat(RetryPolicy.defaults().attemptsBounded()).isFalse();
        assertThat(RetryPolicy.defaults().toString()).contains("maxAttempts=unbounded");
    }
}
