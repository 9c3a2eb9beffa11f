package io.natsmigrate.core;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.testkit.NatsTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Plan state does not grow with the plan: two state writes per applied step, and the head value stays the same small
 * size after 1,200 resources (0.1 kept everything in one value: 3,000 resources could apply but not roll back, 4,000
 * failed in the middle with "payload size exceeded"). The benchmark {@code plan-scale} does the same with 10,000.
 */
@NatsTest
class PlanEngineScaleTest {

    private static final int STREAMS = 300;
    private static final int CONSUMERS_PER_STREAM = 3;

    @Test
    void twoStateWritesPerStepAndAHeadOfFixedSizeWhateverThePlansSize(Connection nc, JetStreamManagement jsm)
            throws Exception {
        MigrationPlan plan = MigrationPlan.named("scale")
                .phase("streams", p -> {
                    for (int s = 0; s < STREAMS; s++) {
                        p.step(Steps.stream(StreamConfiguration.builder().name("SC" + s).subjects("sc" + s + ".>")
                                .storageType(StorageType.Memory).build()));
                    }
                })
                .phase("consumers", p -> {
                    for (int s = 0; s < STREAMS; s++) {
                        for (int c = 0; c < CONSUMERS_PER_STREAM; c++) {
                            p.step(Steps.consumer("SC" + s, ConsumerConfiguration.builder().durable("c" + c).build()));
                        }
                    }
                })
                .build();
        int steps = plan.steps().size();
        try (MigrationRunner runner = plan.runner(nc).build()) {
            runner.applyTo("streams");
            int headAfterOnePhase = nc.keyValue("natsmigrate_plans").get("plan.scale").getValue().length;
            ApplyResult first = runner.applyTo("consumers");
            int head = nc.keyValue("natsmigrate_plans").get("plan.scale").getValue().length;
            System.out.printf("plan of %d resources: head value %d bytes (after the first phase %d)%n", steps, head,
                    headAfterOnePhase);
            assertThat(first.stateWrites()).isEqualTo(2L * STREAMS * CONSUMERS_PER_STREAM + 1);
            assertThat(head).isLessThan(200).isBetween(headAfterOnePhase - 8, headAfterOnePhase + 8);

            ApplyResult again = runner.applyTo("consumers");
            assertThat(again.resourceWrites()).isZero();
            assertThat(again.stateWrites()).isZero();

            ApplyResult back = runner.rollbackTo("streams");
            assertThat(back.changed()).hasSize(STREAMS * CONSUMERS_PER_STREAM);
            assertThat(runner.state().steps()).hasSize(STREAMS);
            assertThat(runner.history()).hasSize(steps + 2 + STREAMS * CONSUMERS_PER_STREAM + 1);
            assertThat(jsm.getConsumerNames("SC0")).isEmpty();
        }
    }
}
