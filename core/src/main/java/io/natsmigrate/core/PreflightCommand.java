package io.natsmigrate.core;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.AccountStatistics;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.primitives.ServerFeature;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks the server before any change (the facade's {@code preflight}): JetStream, server version for the plan's
 * features, account limits, declared existing streams; and warns about what can cost messages or resilience.
 */
final class PreflightCommand {

    private final RunnerSettings s;

    PreflightCommand(RunnerSettings settings) {
        this.s = settings;
    }

    PreflightReport run() {
        Connection nc = s.nc();
        MigrationPlan plan = s.plan();
        List<String> problems = new ArrayList<>();
        String version = nc.getServerInfo().getVersion();
        if (!nc.getServerInfo().isJetStreamAvailable()) {
            problems.add("JetStream is not enabled on the server (" + version + "): start nats-server with -js or a"
                    + " jetstream {} block, and enable it for the account");
        }
        for (ServerFeature f : plan.requiredFeatures()) {
            if (!f.isSupportedBy(nc)) {
                problems.add(f.description() + " needs nats-server " + f.minimumVersion() + "+, the server is "
                        + version + ": upgrade the server");
            }
        }
        List<String> warnings = new ArrayList<>();
        if (problems.isEmpty()) {
            try {
                accountLimits(problems);
                for (String existing : plan.existingStreams()) {
                    try {
                        nc.jetStreamManagement().getStreamInfo(existing);
                    } catch (JetStreamApiException e) {
                        problems.add("The plan uses stream " + existing + ", which does not exist: create it or fix"
                                + " the name");
                    }
                }
                warnings.addAll(LimitsCheck.warnings(plan, nc.jetStreamManagement()));
            } catch (IOException | JetStreamApiException e) {
                problems.add("Could not read the account's JetStream limits (" + e.getMessage() + "): check that"
                        + " JetStream is enabled for this account and its servers are up");
            }
            int wanted = ClusterReplicas.resolve(nc, s.requestedReplicas());
            if (s.store().replicas() < wanted) {
                warnings.add("The state bucket " + s.store().bucket() + " has " + s.store().replicas() + " replica(s),"
                        + " fewer than " + wanted + ": the plan's state is lost with the node that holds it. Raise it"
                        + " with `nats kv edit " + s.store().bucket() + " --replicas " + wanted + "` (or recreate it)");
            }
        }
        if (!problems.isEmpty()) {
            throw new PreflightException(plan.name(), problems);
        }
        return new PreflightReport(plan.name(), warnings);
    }

    private void accountLimits(List<String> problems) throws IOException, JetStreamApiException {
        AccountStatistics stats = s.nc().jetStreamManagement().getAccountStatistics();
        long fileBytes = 0;
        long memBytes = 0;
        long streams = 0;
        for (Step step : s.plan().steps()) {
            if (step.providesStream().isPresent()) {
                StreamConfiguration c = step.providesStream().get();
                streams++;
                long max = Math.max(0, c.getMaxBytes());
                if (c.getStorageType() == io.nats.client.api.StorageType.Memory) {
                    memBytes += max;
                } else {
                    fileBytes += max;
                }
            }
        }
        var limits = stats.getLimits();
        if (limits.getMaxStorage() > 0 && fileBytes > limits.getMaxStorage()) {
            problems.add("The plan's file streams may hold " + fileBytes + " bytes but the account may store "
                    + limits.getMaxStorage() + ": lower their max_bytes or raise the account's max_file");
        }
        if (limits.getMaxMemory() > 0 && memBytes > limits.getMaxMemory()) {
            problems.add("The plan's memory streams may hold " + memBytes + " bytes but the account allows "
                    + limits.getMaxMemory() + ": lower their max_bytes or raise the account's max_mem");
        }
        if (limits.getMaxStreams() > 0 && stats.getStreams() + streams > limits.getMaxStreams()) {
            problems.add("The plan creates up to " + streams + " streams, the account has " + stats.getStreams()
                    + " of at most " + limits.getMaxStreams() + ": raise the account's max_streams");
        }
    }
}
