package io.natsmigrate.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.natsmigrate.testkit.NatsCluster;
import io.natsmigrate.testkit.NatsServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CLI against the testkit's 3-node cluster, with the server list as operators pass it: the plan state bucket and
 * the stream get three replicas, and apply, status and rollback go on right after the leaders of the state bucket
 * and of the stream are killed (the runner waits out the elections; nothing to tune).
 */
class CliClusterIT {

    private static final String PLAN = """
            plan: run-completion-events
            recipe:
              coreToJetStream:
                stream: {name: run-completion-events, subjects: [events], max_age: 1h, num_replicas: 3}
                consumers:
                  - {durable_name: my-app-consumer-v1, ack_policy: explicit}
            """;
    private static final String STATE_STREAM = "KV_natsmigrate_plans";

    @Test
    void applyStatusAndRollbackGoOnThroughLeaderKills(@TempDir Path dir) throws Exception {
        Path plan = dir.resolve("plan.yaml");
        Files.writeString(plan, PLAN);
        String file = plan.toString();
        try (NatsCluster cluster = NatsCluster.builder().size(3).start()) {
            String servers = cluster.url();
            CliProcess.Result r = CliProcess.run("apply", "--plan", file, "--to", "provision", "-s", servers);
            assertThat(r.exit()).as(r.all()).isZero();
            try (Connection nc = cluster.connect()) {
                assertThat(nc.jetStreamManagement().getStreamInfo("run-completion-events").getConfiguration()
                        .getReplicas()).isEqualTo(3);
                assertThat(nc.keyValueManagement().getStatus("natsmigrate_plans").getReplicas()).isEqualTo(3);
            }

            NatsServer stateLeader = cluster.killStreamLeader(STATE_STREAM);
            r = CliProcess.run("apply", "--plan", file, "--to", "dual-publish", "-s", servers);
            assertThat(r.exit()).as(r.all()).isZero();
            assertThat(r.out()).contains("provision -> dual-publish");
            stateLeader.restart();
            cluster.awaitJetStreamReady();
            cluster.awaitStreamReady(STATE_STREAM);

            NatsServer streamLeader = cluster.killStreamLeader("run-completion-events");
            r = CliProcess.run("apply", "--plan", file, "--to", "shadow", "-s", servers);
            assertThat(r.exit()).as(r.all()).isZero();
            r = CliProcess.run("status", "--json", "-s", servers);
            assertThat(r.exit()).as(r.all()).isZero();
            assertThat(new ObjectMapper().readTree(r.out()).get(0).path("phase").asText()).isEqualTo("shadow");
            r = CliProcess.run("rollback", "--plan", file, "--to", "provision", "-s", servers);
            assertThat(r.exit()).as(r.all()).isZero();
            assertThat(r.out()).contains("shadow -> provision, 2 step(s) rolled back");
            streamLeader.restart();
        }
    }
}
