package io.natsmigrate.core;

import io.nats.client.Connection;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.primitives.PermissionDeniedException;
import io.natsmigrate.testkit.NatsServer;
import io.natsmigrate.testkit.UserPermissions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The plan runner with exactly the permissions the README lists: it works; with any one of them removed it fails
 * at once with a typed error naming the missing permission, instead of retrying a request nobody answers.
 */
class PlanRunnerPermissionsTest {

    /** What the runner needs for a plan of streams and consumers, its state in the default bucket. */
    static final UserPermissions NEEDED = UserPermissions.of(List.of(
            "$JS.API.STREAM.>",
            "$JS.API.CONSUMER.>",
            "$JS.API.DIRECT.GET.KV_natsmigrate_plans.>",
            "$KV.natsmigrate_plans.>"), List.of("_INBOX.>"));

    @Test
    void theListedPermissionsAreEnoughAndEachOneIsNeeded() throws Exception {
        assertThat(apply(NEEDED)).as("with every listed permission").isNull();
        List<String> outcomes = NEEDED.outcomesWithOneRemoved(p -> describe(apply(p)));
        assertThat(outcomes).allSatisfy(o -> assertThat(o).contains("PermissionDeniedException"));
    }

    private static String describe(Throwable t) {
        if (t == null) {
            return "no failure";
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof PermissionDeniedException) {
                return "PermissionDeniedException: " + c.getMessage();
            }
        }
        return t.toString();
    }

    /** Applies a small plan as a user with these permissions; the failure, or null. */
    private static Throwable apply(UserPermissions permissions) throws Exception {
        try (NatsServer server = NatsServer.builder().user("runner", "pw", permissions).start();
             Connection nc = server.connect("runner", "pw")) {
            MigrationPlan plan = MigrationPlan.named("perms").phase("provision", p -> {
                p.step(Steps.stream(StreamConfiguration.builder().name("ORDERS").subjects("orders.>").build()));
                p.step(Steps.consumer("ORDERS", ConsumerConfiguration.builder().durable("billing").build()));
            }).build();
            long start = System.nanoTime();
            try (MigrationRunner runner = plan.runner(nc).transientRetry(Duration.ofSeconds(20)).build()) {
                runner.applyTo("provision");
                runner.status();
                runner.rollbackToStart();
                return null;
            } catch (Exception e) {
                long ms = (System.nanoTime() - start) / 1_000_000;
                assertThat(ms).as("a denied request ends the run at once, not at the retry bound: " + e)
                        .isLessThan(15_000);
                return e;
            }
        }
    }

    /**
     * A step on another system (as the cross-system recipe's steps on the old system and the leaf domain are)
     * whose connection may not create the stream: the denial on that connection, not the runner's, fails the
     * step at once with the permission named.
     */
    @Test
    void aDeniedRequestOnAnotherSystemsConnectionFailsTheStepAtOnce() throws Exception {
        UserPermissions noCreate = UserPermissions.of(List.of("$JS.API.STREAM.INFO.>"), List.of("_INBOX.>"));
        try (NatsServer runnerSystem = NatsServer.start();
             NatsServer other = NatsServer.builder().user("other", "pw", noCreate).start();
             Connection nc = runnerSystem.connect();
             Connection otherNc = other.connect("other", "pw")) {
            MigrationPlan plan = MigrationPlan.named("elsewhere").phase("provision", p -> p.step(Steps.onSystem(
                    "other", otherNc, io.nats.client.JetStreamOptions.DEFAULT_JS_OPTIONS,
                    Steps.stream(StreamConfiguration.builder().name("ORDERS").subjects("orders.>").build()))))
                    .build();
            long start = System.nanoTime();
            try (MigrationRunner runner = plan.runner(nc).transientRetry(Duration.ofSeconds(60)).build()) {
                assertThatThrownBy(() -> runner.applyTo("provision"))
                        .isInstanceOf(StepFailedException.class)
                        .satisfies(e -> assertThat(describe(e)).contains("PermissionDeniedException",
                                "$JS.API.STREAM.CREATE.ORDERS"));
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("not the 60 s retry bound")
                    .isLessThan(Duration.ofSeconds(20));
        }
    }
}
