package io.natsmigrate.core;

import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MigrationPlanTest {

    static StreamConfiguration stream(String name, String... subjects) {
        return StreamConfiguration.builder().name(name).subjects(subjects).build();
    }

    @Test
    void buildsAnOrderedImmutablePlan() {
        MigrationPlan plan = MigrationPlan.named("p")
                .phase("provision", p -> p.step(Steps.stream(stream("A", "a.>")))
                        .step(Steps.consumer("A", ConsumerConfiguration.builder().durable("c").build())))
                .phase("cutover", p -> p.step(Steps.marker("switched")))
                .build();
        assertThat(plan.phases()).extracting(Phase::name).containsExactly("provision", "cutover");
        assertThat(plan.steps()).extracting(Step::name).containsExactly("stream A", "consumer A > c", "switched");
        assertThat(plan.phaseIndex("cutover")).isEqualTo(1);
        assertThatThrownBy(() -> plan.phaseIndex("nope")).hasMessageContaining("[provision, cutover]");
        assertThatThrownBy(() -> plan.phases().add(null)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void badPlansAreRejectedNamingTheElement() {
        assertThatThrownBy(() -> MigrationPlan.named("bad name")).isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("plan name");
        assertThatThrownBy(() -> MigrationPlan.named("p").build()).isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("no phase");
        assertThatThrownBy(() -> MigrationPlan.named("p").phase("x", p -> { }).phase("x", p -> { }).build())
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("phase \"x\"");
        assertThatThrownBy(() -> MigrationPlan.named("p").phase("x", p -> p.step(Steps.marker("m")).step(Steps.marker("m")))
                .build()).isInstanceOf(InvalidPlanException.class).hasMessageContaining("step \"m\"");
        // jnats itself refuses invalid stream names when the configuration is built
        assertThatThrownBy(() -> stream("A.B", "a")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[A.B]");
        assertThatThrownBy(() -> MigrationPlan.named("p").phase("x", p -> p.step(Steps.stream(stream("A", "a.>.b"))))
                .build()).isInstanceOf(InvalidPlanException.class).hasMessageContaining("stream A");
        assertThatThrownBy(() -> MigrationPlan.named("p").phase("x", p -> p
                        .step(Steps.stream(stream("A", "orders.>")))
                        .step(Steps.stream(stream("B", "orders.eu")))).build())
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("overlaps")
                .satisfies(e -> assertThat(((InvalidPlanException) e).element()).isEqualTo("stream B"));
        assertThatThrownBy(() -> MigrationPlan.named("p").phase("x", p -> p
                        .step(Steps.consumer("GHOST", ConsumerConfiguration.builder().durable("c").build()))).build())
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("GHOST")
                .hasMessageContaining("existingStream");
        assertThatThrownBy(() -> Steps.consumer("A", ConsumerConfiguration.builder().build()))
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("durable");
        // a declared existing stream is fine
        MigrationPlan.named("p").existingStream("LEGACY").phase("x", p -> p
                .step(Steps.consumer("LEGACY", ConsumerConfiguration.builder().durable("c").build()))).build();
    }
}
