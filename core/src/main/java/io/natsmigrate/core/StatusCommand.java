package io.natsmigrate.core;

import io.nats.client.JetStreamApiException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Phases, steps (recorded and live), live stream and consumer figures and warnings (the facade's {@code status}). */
final class StatusCommand {

    private final RunnerSettings s;

    StatusCommand(RunnerSettings settings) {
        this.s = settings;
    }

    StatusReport run(PlanState state) {
        MigrationPlan plan = s.plan();
        StepContext ctx = s.stepContext();
        List<StatusReport.StepStatus> steps = new ArrayList<>();
        for (Phase phase : plan.phases()) {
            for (Step step : phase.steps()) {
                String live;
                try {
                    live = step.check(ctx).status().name();
                } catch (Exception e) {
                    live = "ERROR: " + e.getMessage();
                }
                steps.add(new StatusReport.StepStatus(phase.name(), step.name(), state.isApplied(step.name()), live));
            }
        }
        List<StatusReport.StreamFigures> streams = new ArrayList<>();
        for (Step step : plan.steps()) {
            if (step.providesStream().isPresent()) {
                String name = step.providesStream().get().getName();
                try {
                    var info = ctx.jsm().getStreamInfo(name);
                    List<StatusReport.ConsumerFigures> consumers = new ArrayList<>();
                    for (var ci : ctx.jsm().getConsumers(name)) {
                        consumers.add(new StatusReport.ConsumerFigures(ci.getName(), ci.getNumPending(),
                                ci.getNumAckPending(), ci.getAckFloor().getStreamSequence()));
                    }
                    streams.add(new StatusReport.StreamFigures(name, info.getStreamState().getMsgCount(),
                            info.getStreamState().getByteCount(), consumers));
                } catch (IOException | JetStreamApiException e) {
                    streams.add(new StatusReport.StreamFigures(name, -1, -1, List.of()));
                }
            }
        }
        List<String> warnings = LimitsCheck.warnings(plan, ctx.jsm());
        return new StatusReport(plan.name(), state.phase(), plan.phases().stream().map(Phase::name).toList(), steps,
                streams, warnings);
    }
}
