package io.natsmigrate.testkit;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

import java.util.concurrent.atomic.AtomicReference;

import static io.natsmigrate.testkit.NatsAssertions.assertThatStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.suppressed;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

class NatsTestExtensionTest {

    @Nested
    @NatsTest
    class PerMethod {
        @Test
        void injectsServerConnectionAndJetStream(NatsServer server, Connection nc, JetStreamManagement jsm,
                                                 JetStream js) throws Exception {
            assertThat(server.isRunning()).isTrue();
            assertThat(nc.getConnectedUrl()).contains(Integer.toString(server.port()));
            jsm.addStream(StreamConfiguration.builder().name("INJ").subjects("inj").build());
            js.publish("inj", new byte[0]);
            assertThatStream(jsm, "INJ").hasMessages(1);
        }

        @Test
        void eachMethodGetsAFreshServer(JetStreamManagement jsm) throws Exception {
            // The sibling test created INJ; a per-method server has never seen it.
            assertThat(jsm.getStreamNames()).isEmpty();
        }
    }

    @Nested
    @NatsTest(scope = NatsTest.Scope.PER_CLASS, syncInterval = "always", domain = "east")
    class PerClass {
        private static final AtomicReference<Integer> firstPort = new AtomicReference<>();

        @Test
        void sharesOneServerAcrossTheClass(NatsServer server) {
            firstPort.compareAndSet(null, server.port());
            assertThat(server.port()).isEqualTo(firstPort.get());
            assertThat(server.domain()).isEqualTo("east");
            assertThat(server.configText()).contains("\"sync_interval\" : \"always\"");
        }

        @Test
        void sameServerInTheSecondTest(NatsServer server) {
            firstPort.compareAndSet(null, server.port());
            assertThat(server.port()).isEqualTo(firstPort.get());
        }
    }

    @Nested
    @NatsTest(topology = NatsTest.Topology.HUB_AND_LEAF)
    class HubLeafInjection {
        @Test
        void injectsTheTopologyAndAHubConnection(HubAndLeaf topo, NatsServer hub, Connection nc) {
            assertThat(hub).isSameAs(topo.hub());
            assertThat(nc.getConnectedUrl()).contains(Integer.toString(topo.hub().port()));
        }
    }

    @Test
    @NatsTest(jetStream = false)
    void methodLevelAnnotationWorks(NatsServer server) {
        assertThat(server.configText()).doesNotContain("jetstream");
    }

    @Test
    void aFailingTestStillStopsItsServerAndReportsTheServerLog() {
        FailingSample.server.set(null);
        Events tests = EngineTestKit.engine("junit-jupiter")
                .configurationParameter(OnlyInEngineTestKit.PARAMETER, "true")
                .selectors(selectClass(FailingSample.class))
                .execute()
                .testEvents();

        tests.assertStatistics(s -> s.started(1).failed(1));
        tests.assertThatEvents().haveExactly(1, event(test("fails"), finishedWithFailure(
                instanceOf(AssertionError.class), message("deliberate failure"),
                suppressed(0, message(m -> m.contains("nats-server log") && m.contains("Server is ready"))))));

        NatsServer server = FailingSample.server.get();
        assertThat(server).isNotNull();
        assertThat(server.isRunning()).isFalse();
        assertThat(server.storeDir()).doesNotExist();
    }

    @Test
    void wrongTopologyParameterIsExplained() {
        Events tests = EngineTestKit.engine("junit-jupiter")
                .configurationParameter(OnlyInEngineTestKit.PARAMETER, "true")
                .selectors(selectClass(WrongParameterSample.class))
                .execute()
                .testEvents();
        tests.assertThatEvents().haveExactly(1, event(test("wantsCluster"), finishedWithFailure(
                message(m -> m.contains("Cannot inject NatsCluster") && m.contains("topology")))));
    }

    /** Fails on purpose; runs only through EngineTestKit above. */
    @NatsTest
    @ExtendWith(OnlyInEngineTestKit.class)
    static class FailingSample {
        static final AtomicReference<NatsServer> server = new AtomicReference<>();

        @Test
        void fails(NatsServer s) {
            server.set(s);
            throw new AssertionError("deliberate failure");
        }
    }

    /** Fails on purpose; runs only through EngineTestKit above. */
    @NatsTest
    @ExtendWith(OnlyInEngineTestKit.class)
    static class WrongParameterSample {
        @Test
        void wantsCluster(NatsCluster cluster) {
            assertThat(cluster).isNotNull();
        }
    }
}
