package io.natsmigrate.spring;

import io.nats.client.Connection;
import io.natsmigrate.core.ConfirmationRequiredException;
import io.natsmigrate.core.MigrationRunner;
import io.natsmigrate.core.RecordedPlans;
import io.natsmigrate.core.planfile.PlanFileException;
import io.natsmigrate.testkit.NatsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** What the starter does with each configuration, on a real server: applies, backs off, or fails startup clearly. */
class StarterConfigurationTest {

    private static NatsServer server;

    private final ApplicationContextRunner contexts = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(NatsMigrateAutoConfiguration.class,
                    NatsMigrateMetricsAutoConfiguration.class, NatsMigrateActuatorAutoConfiguration.class));

    @BeforeAll
    static void start() {
        server = NatsServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aTypoInThePlanFileFailsStartupNamingTheLine() {
        contexts.withPropertyValues("natsmigrate.server=" + server.url(),
                "natsmigrate.plan-file=classpath:typo-plan.yaml", "natsmigrate.target-phase=provision").run(ctx -> {
                    assertThat(ctx).hasFailed();
                    assertThat(ctx.getStartupFailure()).rootCause().isInstanceOf(PlanFileException.class)
                            .hasMessageContaining("typo-plan.yaml line 6").hasMessageContaining("\"max_ages\"");
                });
    }

    @Test
    void anUnknownTargetPhaseFailsStartupNamingThePhases() {
        contexts.withPropertyValues("natsmigrate.server=" + server.url(),
                "natsmigrate.plan-file=classpath:decommission-plan.yaml", "natsmigrate.target-phase=cutover")
                .run(ctx -> {
                    assertThat(ctx).hasFailed();
                    assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("no phase \"cutover\"")
                            .hasMessageContaining("[provision, decommission]");
                });
    }

    @Test
    void anIrreversibleStepNeedsConfirmationAndRunsWithIt() {
        contexts.withPropertyValues("natsmigrate.server=" + server.url(), "natsmigrate.bucket=confirm_test",
                "natsmigrate.plan-file=classpath:decommission-plan.yaml", "natsmigrate.target-phase=decommission")
                .run(ctx -> {
                    assertThat(ctx).hasFailed();
                    assertThat(ctx.getStartupFailure()).rootCause()
                            .isInstanceOf(ConfirmationRequiredException.class)
                            .hasMessageContaining("delete stream LEGACY_ORDERS");
                });
        contexts.withPropertyValues("natsmigrate.server=" + server.url(), "natsmigrate.bucket=confirm_test",
                "natsmigrate.plan-file=classpath:decommission-plan.yaml", "natsmigrate.target-phase=decommission",
                "natsmigrate.confirm-irreversible=delete stream LEGACY_ORDERS").run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    Connection nc = ctx.getBean(Connection.class);
                    assertThat(RecordedPlans.open(nc, "confirm_test").state("legacy-cleanup").phase())
                            .isEqualTo("decommission");
                    assertThat(nc.jetStreamManagement().getStreamNames()).doesNotContain("LEGACY_ORDERS");
                });
    }

    @Test
    void theStarterBacksOffWhenDisabledOrWithoutAConnection() {
        contexts.withPropertyValues("natsmigrate.enabled=false", "natsmigrate.server=" + server.url(),
                "natsmigrate.plan-file=classpath:decommission-plan.yaml").run(ctx -> {
                    assertThat(ctx).hasNotFailed().doesNotHaveBean(MigrationRunner.class)
                            .doesNotHaveBean(Connection.class);
                });
        contexts.withPropertyValues("natsmigrate.plan-file=classpath:decommission-plan.yaml").run(ctx -> {
            assertThat(ctx).hasNotFailed().doesNotHaveBean(MigrationRunner.class)
                    .doesNotHaveBean(NatsMigrateEndpoint.class);
        });
    }

    @Test
    void withoutATargetPhaseNothingIsAppliedButTheStatusIsThere() {
        contexts.withPropertyValues("natsmigrate.server=" + server.url(), "natsmigrate.bucket=no_target",
                "natsmigrate.plan-file=classpath:decommission-plan.yaml").run(ctx -> {
                    assertThat(ctx).hasNotFailed().hasSingleBean(MigrationRunner.class)
                            .hasSingleBean(NatsMigrateEndpoint.class).hasSingleBean(NatsMigrateHealthIndicator.class);
                    assertThat(ctx.getBean(MigrationRunner.class).state().phase()).isNull();
                    assertThat(ctx.getBean(NatsMigrateEndpoint.class).status())
                            .containsEntry("phase", null).containsEntry("targetReached", true);
                });
    }
}
