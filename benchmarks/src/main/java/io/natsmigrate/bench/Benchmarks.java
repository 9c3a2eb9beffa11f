package io.natsmigrate.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Runs the benchmarks (all, or one by name) and prints one {@code BENCH ...} summary line each.
 *
 * <pre>
 *   ./mvnw -B -q -pl benchmarks -am -DskipTests package exec:java                   # all
 *   ./mvnw -B -q -pl benchmarks -am -DskipTests package exec:java -Dbench=server-start
 * </pre>
 */
public final class Benchmarks {

    private Benchmarks() {
    }

    /** Entry point. */
    public static void main(String[] args) throws Exception {
        Map<String, Callable<BenchResult>> all = new LinkedHashMap<>();
        all.put("server-start", () -> new ServerStartBenchmark().run());
        all.put("sync-interval", () -> new SyncIntervalBenchmark(false).run());
        all.put("sync-interval-async", () -> new SyncIntervalBenchmark(true).run());
        all.put("reliable-publish", () -> new ReliablePublishBenchmark().run());
        all.put("observed-publish", () -> new ObservedPublishBenchmark().run());
        all.put("atomic-batch", () -> new AtomicBatchBenchmark().run());
        all.put("optimistic-update-1", () -> new OptimisticUpdateBenchmark(1).run());
        all.put("optimistic-update-8", () -> new OptimisticUpdateBenchmark(8).run());
        all.put("chaos-control", () -> new ChaosControlBenchmark().run());
        all.put("cluster-publish", () -> new ClusterPublishBenchmark().run());
        all.put("election-stall", () -> {
            ElectionStallBenchmark.Results r = new ElectionStallBenchmark().run();
            System.out.printf(java.util.Locale.ROOT, "election as the testkit sees it (kill to new leader): p50 %.0f ms,"
                    + " max %.0f ms%n", r.electionP50(), r.electionMax());
            System.out.println(r.max().summaryLine());
            return r.p50();
        });
        all.put("plan-apply", () -> new PlanApplyBenchmark().run());
        all.put("plan-scale", () -> new PlanScaleBenchmark().run());
        all.put("consumer-runner", () -> new ConsumerRunnerBenchmark().run());
        all.put("dlq-latency", () -> new DeadLetterLatencyBenchmark().run());
        all.put("stream-copy", () -> new StreamCopyBenchmark().run());
        all.put("rabbitmq-ingest", () -> new RabbitMqIngestBenchmark().run());
        all.put("dual-publish", () -> {
            DualPublishBenchmark.Results r = new DualPublishBenchmark().run();
            System.out.println(r.legacy().summaryLine());
            System.out.println(r.verifier().summaryLine());
            return r.dual();
        });

        String which = args.length == 0 ? "all" : args[0];
        if (!which.equals("all") && !all.containsKey(which)) {
            System.out.println("Unknown benchmark \"" + which + "\". Available: all, " + String.join(", ", all.keySet()));
            System.exit(2);
        }
        for (Map.Entry<String, Callable<BenchResult>> e : all.entrySet()) {
            if (which.equals("all") || which.equals(e.getKey())) {
                System.out.println(e.getValue().call().summaryLine());
            }
        }
    }
}
