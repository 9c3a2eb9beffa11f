package io.natsmigrate.core;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.testkit.NatsTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@NatsTest
class CoreToJetStreamRecipeTest {

    static StreamConfiguration seedStream() {
        return StreamConfiguration.builder().name("run-completion-events").subjects("events")
                .maxAge(Duration.ofHours(1)).maxMessages(1000).maxBytes(10L * 1024 * 1024).build();
    }

    @Test
    void walksThePhasesAndRollsBackFromAnyPhaseBeforeDecommission(Connection nc, JetStreamManagement jsm)
            throws Exception {
        AtomicBoolean parity = new AtomicBoolean(false);
        AtomicBoolean decommissioned = new AtomicBoolean(false);
        MigrationPlan plan = CoreToJetStreamRecipe.named("run-completion").stream(seedStream())
                .consumer(ConsumerConfiguration.builder().durable("my-app-consumer-v1").build())
                .parityGate(Gate.of("parity", Duration.ofMillis(500),
                        c -> parity.get() ? GateResult.pass("ok") : GateResult.fail("not yet")))
                .decommission(ctx -> decommissioned.set(true))
                .build();
        assertThat(plan.phases()).extracting(Phase::name).containsExactly("provision", "dual-publish", "shadow",
                "cutover", "jetstream-only", "decommission");
        try (MigrationRunner runner = plan.runner(nc).build()) {
            runner.preflight();
            runner.applyTo(CoreToJetStreamRecipe.DUAL_PUBLISH);
            var cfg = jsm.getStreamInfo("run-completion-events").getConfiguration();
            assertThat(cfg.getMaxAge()).isEqualTo(Duration.ofHours(1));
            assertThat(cfg.getMaxMsgs()).isEqualTo(1000);
            assertThat(cfg.getMaxBytes()).isEqualTo(10L * 1024 * 1024);
            assertThat(jsm.getConsumerNames("run-completion-events")).containsExactly("my-app-consumer-v1");

            assertThatThrownBy(() -> runner.applyTo(CoreToJetStreamRecipe.SHADOW))
                    .isInstanceOf(GateTimeoutException.class).hasMessageContaining("parity");
            parity.set(true);
            runner.applyTo(CoreToJetStreamRecipe.JETSTREAM_ONLY);
            for (String back : new String[]{"cutover", "shadow", "dual-publish", "provision"}) {
                runner.rollbackTo(back);
                assertThat(runner.state().phase()).isEqualTo(back);
            }
            runner.rollbackToStart();
            assertThat(jsm.getStreamNames()).doesNotContain("run-completion-events");

            runner.applyTo(CoreToJetStreamRecipe.JETSTREAM_ONLY);
            assertThatThrownBy(() -> runner.applyTo(CoreToJetStreamRecipe.DECOMMISSION))
                    .isInstanceOf(ConfirmationRequiredException.class);
            assertThat(decommissioned).isFalse();
            runner.applyTo(CoreToJetStreamRecipe.DECOMMISSION, ApplyOptions.builder()
                    .confirmIrreversible(CoreToJetStreamRecipe.DECOMMISSION_STEP).build());
            assertThat(decommissioned).isTrue();
            assertThatThrownBy(() -> runner.rollbackTo("cutover")).isInstanceOf(NotReversibleException.class);
        }
    }

    @Test
    void rejectsAStreamWithoutLimitsOrWithoutConsumers() {
        assertThatThrownBy(() -> CoreToJetStreamRecipe.named("x")
                .stream(StreamConfiguration.builder().name("S").subjects("events").build())
                .consumer(ConsumerConfiguration.builder().durable("c").build()).build())
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("no limit");
        assertThatThrownBy(() -> CoreToJetStreamRecipe.named("x").stream(seedStream()).build())
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("no consumer");
        assertThatThrownBy(() -> CoreToJetStreamRecipe.named("x").build())
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("no stream");
    }
}
