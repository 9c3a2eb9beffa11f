package io.natsmigrate.bench;

import io.nats.client.Connection;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.core.ApplyResult;
import io.natsmigrate.core.MigrationPlan;
import io.natsmigrate.core.MigrationRunner;
import io.natsmigrate.core.Steps;
import io.natsmigrate.testkit.NatsServer;

/**
 * A plan of 200 streams and 1,000 consumers applied once, then again unchanged: the second apply must write
 * nothing and read each resource at most once. Reports both times and the request counts.
 */
final class PlanApplyBenchmark {

    private static final int STREAMS = 200;
    private static final int CONSUMERS_PER_STREAM = 5;

    BenchResult run() throws Exception {
        MigrationPlan.Builder b = MigrationPlan.named("bench");
        b.phase("provision", p -> {
            for (int s = 0; s < STREAMS; s++) {
                String name = "S" + s;
                p.step(Steps.stream(StreamConfiguration.builder().name(name).subjects("s" + s + ".>")
                        .maxMessages(1000).build()));
                for (int c = 0; c < CONSUMERS_PER_STREAM; c++) {
                    p.step(Steps.consumer(name, ConsumerConfiguration.builder().durable("c" + c).build()));
                }
            }
        });
        MigrationPlan plan = b.build();
        try (NatsServer server = NatsServer.start(); Connection nc = server.connect();
             MigrationRunner runner = plan.runner(nc).build()) {
            long out0 = nc.getStatistics().getOutMsgs();
            long t0 = System.nanoTime();
            ApplyResult first = runner.applyTo("provision");
            long t1 = System.nanoTime();
            long out1 = nc.getStatistics().getOutMsgs();
            ApplyResult again = runner.applyTo("provision");
            long t2 = System.nanoTime();
            long out2 = nc.getStatistics().getOutMsgs();
            System.out.printf("PLAN first apply: %d ms, %d messages sent, resource reads=%d writes=%d, state writes=%d%n",
                    (t1 - t0) / 1_000_000, out1 - out0, first.resourceReads(), first.resourceWrites(),
                    first.stateWrites());
            System.out.printf("PLAN re-apply unchanged: %d ms, %d messages sent, resource reads=%d writes=%d,"
                    + " state writes=%d (resources: %d)%n", (t2 - t1) / 1_000_000, out2 - out1, again.resourceReads(),
                    again.resourceWrites(), again.stateWrites(), plan.steps().size());
            return new BenchResult("plan-reapply-vs-first-apply-200-streams-1000-consumers", (t2 - t1) / 1e6,
                    (t1 - t0) / 1e6, "ms");
        }
    }
}
