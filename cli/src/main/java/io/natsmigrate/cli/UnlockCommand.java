package io.natsmigrate.cli;

import io.nats.client.Connection;
import io.natsmigrate.core.LockHolder;
import io.natsmigrate.core.RecordedPlans;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * {@code natsmigrate unlock PLAN}: releases a lock whose holder is gone (a killed pod) without waiting for its lease
 * to end. Shows the holder and its age and asks first, unless {@code --yes}.
 */
@Command(name = "unlock", description = {"Releases a plan's lock left by a runner that is gone.",
        "Shows the holder and its age, and asks for confirmation unless --yes."})
final class UnlockCommand extends ConnectedCommand {

    @Parameters(paramLabel = "PLAN", description = "the plan's name")
    String plan;
    @Option(names = "--yes", description = "release without asking")
    boolean yes;

    @Override
    public Integer call() throws Exception {
        var out = out();
        try (Connection nc = connection.connect()) {
            RecordedPlans recorded = plans.recorded(nc);
            Optional<LockHolder> holder = recorded.lockHolder(plan);
            if (holder.isEmpty()) {
                out.println("plan " + plan + " is not locked");
                return NatsMigrate.OK;
            }
            LockHolder h = holder.get();
            out.println("plan " + plan + " is locked by " + h.instance() + " since " + h.acquiredAt() + " (age "
                    + h.age().toSeconds() + "s, lease " + (h.expired() ? "expired" : "ends " + h.expiresAt()) + ")");
            if (!yes) {
                out.print("A runner that is still alive loses its lease and stops at its next write. Release it?"
                        + " [y/N] ");
                out.flush();
                String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                        .readLine();
                if (answer == null || !answer.trim().equalsIgnoreCase("y") && !answer.trim().equalsIgnoreCase("yes")) {
                    out.println("left locked");
                    return NatsMigrate.FAILURE;
                }
            }
            Optional<LockHolder> released = recorded.forceUnlock(plan);
            out.println(released.map(r -> "released the lock of " + r.instance()).orElse("the lock was already"
                    + " released"));
            return NatsMigrate.OK;
        }
    }
}
