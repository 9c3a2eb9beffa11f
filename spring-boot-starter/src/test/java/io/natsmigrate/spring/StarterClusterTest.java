package io.natsmigrate.spring;

import io.nats.client.Connection;
import io.natsmigrate.core.RecordedPlans;
import io.natsmigrate.core.Transition;
import io.natsmigrate.core.TransitionKind;
import io.natsmigrate.testkit.NatsCluster;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replicas of one service start together on the testkit's 3-node cluster, each applying the plan on startup: the
 * plan's lock makes one of them apply each step once, the other finds it done; a replica started after the state
 * bucket's leader is SIGKILLed still starts, with the defaults.
 */
class StarterClusterTest {

    private static ApplicationContextRunner replica(NatsCluster cluster, String instance) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(NatsMigrateAutoConfiguration.class))
                .withPropertyValues("natsmigrate.server=" + cluster.url(),
                        "natsmigrate.plan-file=classpath:orders-plan.yaml", "natsmigrate.target-phase=cutover",
                        "natsmigrate.instance-id=" + instance);
    }

    @Test
    void replicasStartingTogetherApplyEachStepOnceThroughALeaderKill() throws Exception {
        try (NatsCluster cluster = NatsCluster.builder().size(3).start()) {
            CompletableFuture<Boolean> a = CompletableFuture.supplyAsync(() -> starts(replica(cluster, "pod-a")));
            CompletableFuture<Boolean> b = CompletableFuture.supplyAsync(() -> starts(replica(cluster, "pod-b")));
            assertThat(a.get(120, TimeUnit.SECONDS)).isTrue();
            assertThat(b.get(120, TimeUnit.SECONDS)).isTrue();

            cluster.killStreamLeader("KV_natsmigrate_plans");
            assertThat(starts(replica(cluster, "pod-c"))).isTrue();

            try (Connection nc = cluster.connect()) {
                List<Transition> history = RecordedPlans.open(nc).history("orders-on-jetstream");
                List<String> applied = history.stream().filter(t -> t.kind() == TransitionKind.APPLY)
                        .map(Transition::subject).toList();
                assertThat(applied).containsExactly("stream ORDERS", "consumer ORDERS > billing",
                        "billing reads from ORDERS");
                assertThat(RecordedPlans.open(nc).state("orders-on-jetstream").phase()).isEqualTo("cutover");
                assertThat(nc.jetStreamManagement().getStreamInfo("ORDERS").getConfiguration().getReplicas())
                        .isEqualTo(3);
            }
        }
    }

    private static boolean starts(ApplicationContextRunner runner) {
        boolean[] started = new boolean[1];
        runner.run(ctx -> {
            assertThat(ctx).hasNotFailed();
            started[0] = true;
        });
        return started[0];
    }
}
