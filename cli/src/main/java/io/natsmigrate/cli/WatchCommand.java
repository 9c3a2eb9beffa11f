package io.natsmigrate.cli;

import io.nats.client.Connection;
import io.natsmigrate.core.LockHolder;
import io.natsmigrate.core.PlanState;
import io.natsmigrate.core.RecordedPlans;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * {@code natsmigrate watch PLAN}: follows a plan another process runs: one line each time its phase, the step in
 * progress, the number of applied steps or the lock holder changes. Ends when {@code --until} is reached, at
 * {@code --timeout} (exit 1), or on Ctrl-C.
 */
@Command(name = "watch", description = {"Follows a running plan: phase, step in progress, applied steps, lock.",
        "Gate progress is printed by the process that applies (natsmigrate apply)."})
final class WatchCommand extends ConnectedCommand {

    @Parameters(paramLabel = "PLAN", description = "the plan's name")
    String plan;
    @Option(names = "--until", paramLabel = "PHASE", description = "stop once the plan has reached this phase")
    String until;
    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "1s", converter = Durations.class,
            description = "how often to look (default: ${DEFAULT-VALUE})")
    Duration interval;
    @Option(names = "--for", paramLabel = "DURATION", converter = Durations.class,
            description = "stop after this long (exit 1 when --until was not reached)")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        var out = out();
        Instant end = timeout == null ? Instant.MAX : Instant.now().plus(timeout);
        try (Connection nc = connection.connect()) {
            RecordedPlans recorded = plans.recordedWith(nc, plan);
            String last = null;
            while (true) {
                PlanState s = recorded.state(plan);
                String lock = recorded.lockHolder(plan).map(LockHolder::instance).orElse("free");
                String line = "phase " + (s.phase() == null ? "(start)" : s.phase()) + ", " + s.steps().size()
                        + " steps applied" + (s.inProgress() == null ? "" : ", in progress: " + s.inProgress().step()
                        + " (" + s.inProgress().operation() + ")") + ", lock " + lock;
                if (!Objects.equals(line, last)) {
                    out.println(Instant.now() + " " + plan + ": " + line);
                    last = line;
                }
                if (until != null && until.equals(s.phase())) {
                    return NatsMigrate.OK;
                }
                if (Instant.now().isAfter(end)) {
                    out.println("stopped watching after " + timeout + (until == null ? "" : "; " + until
                            + " not reached"));
                    return until == null ? NatsMigrate.OK : NatsMigrate.FAILURE;
                }
                Thread.sleep(interval.toMillis());
            }
        }
    }
}
