package io.natsmigrate.bench;

import io.nats.client.Connection;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.core.ApplyResult;
import io.natsmigrate.core.MigrationPlan;
import io.natsmigrate.core.MigrationRunner;
import io.natsmigrate.core.Steps;
import io.natsmigrate.testkit.NatsServer;

/**
 * A plan of 10,000 resources (2,500 memory streams, then 7,500 consumers in a second phase): first apply, unchanged
 * re-apply, rollback to the first phase. Prints the times, the state writes per applied step and the size of the
 * plan's head value in the state bucket, which must not grow with the plan.
 */
final class PlanScaleBenchmark {

    private static final int STREAMS = 2_500;
    private static final int CONSUMERS_PER_STREAM = 3;

    BenchResult run() throws Exception {
        MigrationPlan plan = MigrationPlan.named("scale")
                .phase("streams", p -> {
                    for (int s = 0; s < STREAMS; s++) {
                        p.step(Steps.stream(StreamConfiguration.builder().name("S" + s).subjects("s" + s + ".>")
                                .storageType(StorageType.Memory).build()));
                    }
                })
                .phase("consumers", p -> {
                    for (int s = 0; s < STREAMS; s++) {
                        for (int c = 0; c < CONSUMERS_PER_STREAM; c++) {
                            p.step(Steps.consumer("S" + s, ConsumerConfiguration.builder().durable("c" + c).build()));
                        }
                    }
                })
                .build();
        try (NatsServer server = NatsServer.builder().maxMemoryStore(8L << 30).start(); Connection nc = server.connect();
             MigrationRunner runner = plan.runner(nc).build()) {
            long t0 = System.nanoTime();
            ApplyResult first = runner.applyTo("consumers");
            long t1 = System.nanoTime();
            int headAfterApply = nc.keyValue("natsmigrate_plans").get("plan.scale").getValue().length;
            ApplyResult again = runner.applyTo("consumers");
            long t2 = System.nanoTime();
            ApplyResult back = runner.rollbackTo("streams");
            long t3 = System.nanoTime();
            int headAfterRollback = nc.keyValue("natsmigrate_plans").get("plan.scale").getValue().length;
            int resources = plan.steps().size();
            System.out.printf("PLAN-SCALE %d resources: first apply %d ms (%d state writes, %.2f per step), re-apply"
                            + " unchanged %d ms (%d writes, %d state writes), rollback to the first phase %d ms (%d"
                            + " steps undone, %d state writes); head value %d bytes after apply, %d after rollback%n",
                    resources, (t1 - t0) / 1_000_000, first.stateWrites(), (double) first.stateWrites() / resources,
                    (t2 - t1) / 1_000_000, again.resourceWrites(), again.stateWrites(), (t3 - t2) / 1_000_000,
                    back.changed().size(), back.stateWrites(), headAfterApply, headAfterRollback);
            System.out.println(new BenchResult("plan-10000-resources-reapply-vs-first-apply", (t2 - t1) / 1e6,
                    (t1 - t0) / 1e6, "ms").summaryLine());
            return new BenchResult("plan-10000-resources-rollback-vs-first-apply", (t3 - t2) / 1e6, (t1 - t0) / 1e6,
                    "ms");
        }
    }
}
