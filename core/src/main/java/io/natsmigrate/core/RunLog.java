package io.natsmigrate.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

import java.time.Duration;

/**
 * The runner's structured log: every step, gate and phase as one event with SLF4J key-values ({@code plan},
 * {@code phase}, {@code step}, {@code gate}, {@code instance}, and what happened), so a log pipeline can filter and
 * count them without parsing messages. The one place for those key names. Logger {@code io.natsmigrate.core.run}.
 */
final class RunLog {

    /** Key names of the structured events. */
    static final String PLAN = "plan";
    static final String PHASE = "phase";
    static final String STEP = "step";
    static final String GATE = "gate";
    static final String INSTANCE = "instance";
    static final String ACTION = "action";
    static final String MILLIS = "millis";
    static final String LAST_SEEN = "lastSeen";

    private static final Logger LOG = LoggerFactory.getLogger("io.natsmigrate.core.run");

    private final String plan;
    private final String instance;

    RunLog(RunnerSettings s) {
        this.plan = s.planName();
        this.instance = s.instanceId();
    }

    void stepApplied(String phase, Step step, StepResult result, long startedNanos) {
        step(LOG.atInfo(), phase, step).addKeyValue(ACTION, result.action())
                .addKeyValue(MILLIS, millisSince(startedNanos))
                .log("Plan {}: {} {}", plan, step.name(), result.action());
    }

    void stepRolledBack(String phase, Step step) {
        step(LOG.atInfo(), phase, step).addKeyValue(ACTION, "ROLLED_BACK")
                .log("Plan {}: {} rolled back", plan, step.name());
    }

    void stepFailed(String phase, Step step, Exception failure) {
        step(LOG.atWarn(), phase, step).addKeyValue(ACTION, "FAILED").setCause(failure)
                .log("Plan {}: {} failed: {}", plan, step.name(), failure.getMessage());
    }

    void phaseReached(String phase) {
        base(LOG.atInfo()).addKeyValue(PHASE, phase).log("Plan {}: at phase {}", plan, phase);
    }

    void gateWaiting(GateProgress p) {
        gate(LOG.atInfo(), p).log("Plan {}: waiting for gate \"{}\" ({} s of {}): {}", plan, p.gate(),
                p.waited().toSeconds(), p.timeout(), p.lastSeen());
    }

    /** Logged at INFO when it took a while (the waiting was logged), else at DEBUG. */
    void gatePassed(GateProgress p, boolean afterAWait) {
        gate(afterAWait ? LOG.atInfo() : LOG.atDebug(), p).addKeyValue(ACTION, "PASSED")
                .log("Plan {}: gate \"{}\" passed after {} ms: {}", plan, p.gate(), p.waited().toMillis(),
                        p.lastSeen());
    }

    private LoggingEventBuilder gate(LoggingEventBuilder b, GateProgress p) {
        LoggingEventBuilder e = base(b).addKeyValue(PHASE, p.phase()).addKeyValue(GATE, p.gate())
                .addKeyValue(MILLIS, p.waited().toMillis()).addKeyValue(LAST_SEEN, p.lastSeen());
        return p.step() == null ? e : e.addKeyValue(STEP, p.step());
    }

    private LoggingEventBuilder step(LoggingEventBuilder b, String phase, Step step) {
        return base(b).addKeyValue(PHASE, phase).addKeyValue(STEP, step.name());
    }

    private LoggingEventBuilder base(LoggingEventBuilder b) {
        return b.addKeyValue(PLAN, plan).addKeyValue(INSTANCE, instance);
    }

    private static long millisSince(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos).toMillis();
    }
}
