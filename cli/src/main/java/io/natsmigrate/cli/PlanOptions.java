package io.natsmigrate.cli;

import io.nats.client.Connection;
import io.natsmigrate.core.MigrationPlan;
import io.natsmigrate.core.MigrationRunner;
import io.natsmigrate.core.RecordedPlans;
import picocli.CommandLine.Option;

/** Where a plan's state is kept, and which runner instance this is. */
final class PlanOptions {

    static final String DEFAULT_BUCKET = "natsmigrate_plans";

    @Option(names = "--bucket", paramLabel = "BUCKET", defaultValue = DEFAULT_BUCKET,
            description = "the KV bucket holding plans' state and locks (default: ${DEFAULT-VALUE})")
    String bucket;

    @Option(names = "--instance", paramLabel = "ID",
            description = "this runner's instance id in the history and the lock (default: natsmigrate-cli@host)")
    String instance;

    MigrationRunner runner(MigrationPlan plan, Connection nc, io.natsmigrate.core.MigrationListener listener) {
        MigrationRunner.Builder b = plan.runner(nc).bucket(bucket).instanceId(instanceId());
        if (listener != null) {
            b.listener(listener);
        }
        return b.build();
    }

    RecordedPlans recorded(Connection nc) {
        return RecordedPlans.open(nc, bucket);
    }

    /** The recorded plans, failing with the names there are when {@code plan} is not one of them. */
    RecordedPlans recordedWith(Connection nc, String plan) {
        RecordedPlans recorded = recorded(nc);
        if (!recorded.contains(plan)) {
            throw new IllegalArgumentException("No plan " + plan + " is recorded in bucket " + bucket
                    + "; recorded plans: " + recorded.plans());
        }
        return recorded;
    }

    private String instanceId() {
        if (instance != null) {
            return instance;
        }
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException e) {
                host = "unknown";
            }
        }
        return "natsmigrate-cli@" + host;
    }
}
