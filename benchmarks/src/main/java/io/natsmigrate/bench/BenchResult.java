package io.natsmigrate.bench;

import java.util.Locale;

/**
 * One side-by-side figure: ours against plain jnats (or the raw server) measured in the same run.
 *
 * @param name what was measured
 * @param ours our value
 * @param baseline the baseline's value
 * @param unit the unit of both values
 */
public record BenchResult(String name, double ours, double baseline, String unit) {

    /** ours / baseline. For throughputs higher is better; for times lower is better. */
    public double ratio() {
        return ours / baseline;
    }

    /** {@code BENCH <name> ours=<value> baseline=<value> unit=<unit> ratio=<ours/baseline>}. */
    public String summaryLine() {
        return String.format(Locale.ROOT, "BENCH %s ours=%.2f baseline=%.2f unit=%s ratio=%.3f", name, ours,
                baseline, unit, ratio());
    }
}
