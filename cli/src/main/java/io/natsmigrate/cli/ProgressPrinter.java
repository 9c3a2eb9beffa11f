package io.natsmigrate.cli;

import io.natsmigrate.core.GateProgress;
import io.natsmigrate.core.MigrationListener;
import io.natsmigrate.core.Step;
import io.natsmigrate.core.StepResult;

import java.io.PrintWriter;

/** Prints a long apply or rollback as it goes: each step, each phase, each gate's wait with its last figure. */
final class ProgressPrinter implements MigrationListener {

    private final PrintWriter out;

    ProgressPrinter(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void lockAcquired(String plan, String instanceId) {
        out.println("lock of plan " + plan + " taken by " + instanceId);
    }

    @Override
    public void beforeStep(String phase, Step step) {
        out.println("[" + phase + "] " + step.name() + " ...");
    }

    @Override
    public void afterStep(String phase, Step step, StepResult result) {
        out.println("[" + phase + "] " + step.name() + ": " + result.action());
    }

    @Override
    public void afterRollback(String phase, Step step) {
        out.println("[" + phase + "] " + step.name() + ": rolled back");
    }

    @Override
    public void phaseReached(String phase) {
        out.println("phase " + (phase == null ? "(start)" : phase) + " reached");
    }

    @Override
    public void gateWaiting(GateProgress p) {
        out.println("[" + p.phase() + "] waiting " + p.waited().toSeconds() + "s of " + p.timeout().toSeconds()
                + "s for " + p.gate() + (p.lastSeen() == null ? "" : ": " + p.lastSeen()));
    }

    @Override
    public void gatePassed(GateProgress p) {
        out.println("[" + p.phase() + "] gate passed: " + p.gate());
    }
}
