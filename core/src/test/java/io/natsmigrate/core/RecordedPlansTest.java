package io.natsmigrate.core;

import io.nats.client.Connection;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.testkit.NatsServer;
import io.natsmigrate.testkit.NatsTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading recorded plans without their plan, as an operator's tools do, and what bad input gets. */
class RecordedPlansTest {

    @NatsTest
    @Test
    void recordedPlansAreReadWithoutThePlan(Connection nc) {
        assertThat(RecordedPlans.find(nc, "natsmigrate_plans")).isEmpty();
        assertThatThrownBy(() -> RecordedPlans.open(nc)).isInstanceOf(MigrationException.class)
                .hasMessageContaining("no plan state bucket natsmigrate_plans").hasMessageContaining("pass its name");

        MigrationPlan plan = MigrationPlan.named("recorded").phase("p1", p -> p.step(Steps.stream(
                StreamConfiguration.builder().name("REC").subjects("rec.>").build()))).build();
        try (MigrationRunner runner = plan.runner(nc).instanceId("pod-1").build()) {
            runner.applyTo("p1");
        }
        RecordedPlans recorded = RecordedPlans.open(nc);
        assertThat(recorded.plans()).containsExactly("recorded");
        assertThat(recorded.contains("recorded")).isTrue();
        assertThat(recorded.contains("other")).isFalse();
        assertThat(recorded.state("recorded").phase()).isEqualTo("p1");
        assertThat(recorded.state("recorded").steps()).containsKey("stream REC");
        assertThat(recorded.history("recorded")).extracting(Transition::instance).containsOnly("pod-1");
        assertThat(recorded.lockHolder("recorded")).isEmpty();
        assertThat(recorded.forceUnlock("recorded")).isEmpty();
        assertThat(recorded.state("never-applied").phase()).isNull();
    }

    @Test
    void aClosedConnectionAndMissingArgumentsAreNamed() throws Exception {
        Connection closed;
        try (NatsServer server = NatsServer.start()) {
            closed = server.connect();
            closed.close();
        }
        assertThatThrownBy(() -> RecordedPlans.find(closed, "natsmigrate_plans"))
                .isInstanceOf(MigrationException.class).hasMessageContaining("plan state bucket natsmigrate_plans")
                .hasMessageContaining("during close");
        assertThatThrownBy(() -> RecordedPlans.find(null, "b")).isInstanceOf(NullPointerException.class)
                .hasMessage("nc");
        assertThatThrownBy(() -> RecordedPlans.open(closed, null)).isInstanceOf(NullPointerException.class)
                .hasMessage("bucket");
    }
}
