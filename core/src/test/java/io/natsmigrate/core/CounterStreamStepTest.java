package io.natsmigrate.core;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.testkit.NatsTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The stream step and {@code allow_msg_counter}, which nats-server fixes when a stream is created. */
class CounterStreamStepTest {

    @NatsTest
    @Test
    void aPlanCreatesACounterStreamAndRefusesToTurnAnExistingStreamIntoOneWithTheWayOut(Connection nc,
                                                                                          JetStreamManagement jsm)
            throws Exception {
        MigrationPlan counters = MigrationPlan.named("counters").phase("provision", p -> p.step(Steps.stream(
                StreamConfiguration.builder().name("COUNTS").subjects("counts.>").allowMessageCounter(true)
                        .build()))).build();
        try (MigrationRunner runner = counters.runner(nc).build()) {
            runner.applyTo("provision");
            assertThat(jsm.getStreamInfo("COUNTS").getConfiguration().getAllowMessageCounter()).isTrue();
            runner.applyTo("provision"); // in sync: nothing to change
        }

        jsm.addStream(StreamConfiguration.builder().name("TOTALS").subjects("totals.>").build());
        MigrationPlan convert = MigrationPlan.named("convert").phase("provision", p -> p.step(Steps.stream(
                StreamConfiguration.builder().name("TOTALS").subjects("totals.>").allowMessageCounter(true)
                        .build()))).build();
        try (MigrationRunner runner = convert.runner(nc).build()) {
            assertThat(runner.dryRun("provision").toText()).contains("allow_msg_counter");
            assertThatThrownBy(() -> runner.applyTo("provision"))
                    .isInstanceOf(StepFailedException.class)
                    .hasMessageContaining("allow_msg_counter is false on the server and true in the plan")
                    .hasMessageContaining("error 10052")
                    .hasMessageContaining("source the existing one into it");
        }
        assertThat(jsm.getStreamInfo("TOTALS").getConfiguration().getAllowMessageCounter()).isFalse();
    }
}
