package io.natsmigrate.core;

import java.util.List;

/**
 * A plan's status: recorded phase, each step recorded and live, and live stream and consumer figures.
 *
 * @param plan the plan
 * @param phase the recorded phase (null: none)
 * @param phases all phases in order
 * @param steps per step: recorded applied or not, and its live check
 * @param streams figures of the streams the plan provisions
 * @param warnings what can cost messages now (limits dropping what consumers have not received), with figures
 */
public record StatusReport(String plan, String phase, List<String> phases, List<StepStatus> steps,
                           List<StreamFigures> streams, List<String> warnings) {

    public StatusReport {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /**
     * @param phase the step's phase
     * @param step its name
     * @param applied recorded as applied
     * @param live its live check ({@code IN_SYNC}, {@code MISSING}, {@code DRIFTED}, {@code UNKNOWN}, or an error)
     */
    public record StepStatus(String phase, String step, boolean applied, String live) {
    }

    /**
     * @param stream the stream
     * @param messages messages stored (-1: unreadable)
     * @param bytes bytes stored
     * @param consumers its consumers
     */
    public record StreamFigures(String stream, long messages, long bytes, List<ConsumerFigures> consumers) {
    }

    /**
     * @param consumer the consumer
     * @param numPending messages not yet delivered
     * @param numAckPending delivered, awaiting ack
     * @param ackFloor stream sequence of the ack floor
     */
    public record ConsumerFigures(String consumer, long numPending, long numAckPending, long ackFloor) {
    }

    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append("Plan ").append(plan).append(" at phase ").append(phase == null ? "(start)" : phase)
                .append(" of ").append(phases).append('\n');
        sb.append(String.format("  %-16s %-48s %-8s %s%n", "PHASE", "STEP", "APPLIED", "LIVE"));
        for (StepStatus s : steps) {
            sb.append(String.format("  %-16s %-48s %-8s %s%n", s.phase(), s.step(), s.applied() ? "yes" : "no",
                    s.live()));
        }
        sb.append(String.format("  %-24s %12s %14s%n", "STREAM", "MESSAGES", "BYTES"));
        for (StreamFigures f : streams) {
            sb.append(String.format("  %-24s %12d %14d%n", f.stream(), f.messages(), f.bytes()));
            for (ConsumerFigures c : f.consumers()) {
                sb.append(String.format("    consumer %-24s pending %d, ack pending %d, ack floor %d%n",
                        c.consumer(), c.numPending(), c.numAckPending(), c.ackFloor()));
            }
        }
        warnings.forEach(w -> sb.append("  WARNING: ").append(w).append('\n'));
        return sb.toString();
    }

    public String toJson() {
        return io.natsmigrate.core.internal.Json.pretty(this);
    }
}
