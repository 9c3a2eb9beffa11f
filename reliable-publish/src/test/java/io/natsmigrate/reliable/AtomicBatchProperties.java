package io.natsmigrate.reliable;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.testkit.NatsServer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A batch that fails at any point stores nothing, and the next good batch still commits in full. */
class AtomicBatchProperties {

    enum Failure { STALE_EXPECTATION, OVERSIZE_MESSAGE, DISCARD }

    record Scenario(int size, int failAt, Failure failure) {
    }

    private static NatsServer server;
    private static Connection nc;
    private static JetStreamManagement jsm;

    @BeforeContainer
    static void start() throws Exception {
        server = NatsServer.start();
        nc = server.connect();
        jsm = nc.jetStreamManagement();
        jsm.addStream(StreamConfiguration.builder().name("P").subjects("p.>").allowAtomicPublish(true)
                .maximumMessageSize(1024).build());
    }

    @AfterContainer
    static void stop() throws Exception {
        nc.close();
        server.close();
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        return Arbitraries.integers().between(1, 60).flatMap(size -> Combinators.combine(
                Arbitraries.just(size), Arbitraries.integers().between(1, size), Arbitraries.of(Failure.class))
                .as(Scenario::new));
    }

    @Property(tries = 40)
    void aFailedBatchStoresNothing(@ForAll("scenarios") Scenario s) throws Exception {
        long before = jsm.getStreamInfo("P").getStreamState().getMsgCount();
        AtomicBatch batch = AtomicBatch.start(nc);
        Runnable run = () -> {
            for (int i = 1; i <= s.size(); i++) {
                boolean here = i == s.failAt();
                if (here && s.failure() == Failure.DISCARD) {
                    batch.discard();
                    batch.add("p.x", new byte[1]); // a discarded batch refuses more messages
                }
                byte[] data = here && s.failure() == Failure.OVERSIZE_MESSAGE ? new byte[2048] : new byte[16];
                Expectation e = here && s.failure() == Failure.STALE_EXPECTATION
                        ? Expectation.lastSequence(before + 1_000_000) : Expectation.none();
                if (i == s.size()) {
                    batch.commit("p.x", null, data, e);
                } else {
                    batch.add("p.x", null, data, e);
                }
            }
        };
        assertThatThrownBy(run::run).isInstanceOf(ReliablePublishException.class);
        assertThat(jsm.getStreamInfo("P").getStreamState().getMsgCount()).isEqualTo(before);

        try (AtomicBatch good = AtomicBatch.start(nc)) {
            for (int i = 1; i < s.size(); i++) {
                good.add("p.y", new byte[16]);
            }
            BatchAck ack = good.commit("p.y", new byte[16]);
            assertThat(ack.count()).isEqualTo(s.size());
        }
        assertThat(jsm.getStreamInfo("P").getStreamState().getMsgCount()).isEqualTo(before + s.size());
    }
}
