package io.natsmigrate.samples;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The project's main job: runs the samples (all, or one by name) and exits non-zero if any of them lost a
 * message or failed.
 *
 * <pre>
 *   ./mvnw -B -pl samples -am -DskipTests package exec:java                     # all samples
 *   ./mvnw -B -pl samples -am -DskipTests package exec:java -Dsample=quickstart # one sample
 *   ./mvnw -B -pl samples -am -DskipTests package exec:java -Dsample=list       # what there is
 * </pre>
 */
public final class Samples {

    private static final Map<String, Sample> SAMPLES = new LinkedHashMap<>();

    static {
        register(new QuickstartSample());
        register(new CoreToJetStreamSample());
        register(new CrossSystemSample());
        register(new RabbitMqSample());
        register(new ReliablePublishingSample());
        register(new OptimisticConcurrencySample());
    }

    private Samples() {
    }

    private static void register(Sample s) {
        SAMPLES.put(s.name(), s);
    }

    /** Entry point; see the class comment for arguments. */
    public static void main(String[] args) {
        System.exit(run(args.length == 0 ? "all" : args[0], System.out));
    }

    /** Runs the named sample ({@code all} for every one, {@code list} to list them); returns the exit code. */
    static int run(String which, PrintStream out) {
        if (which.equals("list")) {
            SAMPLES.values().forEach(s -> out.println(s.name() + "  " + s.description()));
            return 0;
        }
        List<Sample> selected = new ArrayList<>();
        if (which.equals("all")) {
            selected.addAll(SAMPLES.values());
        } else if (SAMPLES.containsKey(which)) {
            selected.add(SAMPLES.get(which));
        } else {
            out.println("Unknown sample \"" + which + "\". Available: all, list, " + String.join(", ", SAMPLES.keySet()));
            return 2;
        }
        boolean allOk = true;
        for (Sample s : selected) {
            out.println("== sample " + s.name() + ": " + s.description());
            try {
                SampleReport r = s.run(out);
                print(out, s, r);
                allOk &= r.ok();
            } catch (Exception e) {
                out.println("== sample " + s.name() + " FAILED: " + e);
                e.printStackTrace(out);
                allOk = false;
            }
        }
        out.println(allOk ? "All samples passed: no message lost." : "FAILED: a sample lost messages or failed.");
        return allOk ? 0 : 1;
    }

    private static void print(PrintStream out, Sample s, SampleReport r) {
        out.println("== report " + s.name());
        out.printf("   published %d, delivered %d, duplicates %d, lost %d%n", r.published(), r.delivered(),
                r.duplicates(), r.lost());
        r.phases().forEach((phase, d) -> out.printf("   %-32s %6d ms%n", phase, millis(d)));
        out.println("   result: " + (r.ok() ? "OK" : "LOST MESSAGES"));
    }

    private static long millis(Duration d) {
        return d.toMillis();
    }
}
