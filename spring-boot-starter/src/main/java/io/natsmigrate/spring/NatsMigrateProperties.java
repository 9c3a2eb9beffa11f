package io.natsmigrate.spring;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.List;

/**
 * The {@code natsmigrate.*} properties. Immutable (constructor-bound).
 *
 * @param enabled              whether the auto-configuration runs at all (default true)
 * @param server               NATS server URL(s) for the connection the starter creates when the application has no
 *                             {@code io.nats.client.Connection} bean (default: none; then a Connection bean is
 *                             needed). Risk: none; an existing Connection bean always wins
 * @param credentials          a credentials file for that connection (default none)
 * @param planFile             a plan file (YAML or JSON; {@code classpath:} or a file) when the application has no
 *                             {@code MigrationPlan} bean (default none)
 * @param targetPhase          the phase to apply on startup (default none: nothing is applied)
 * @param applyOnStartup       apply to {@code targetPhase} while the context starts, before the beans that publish
 *                             or consume (default true, as {@code spring.flyway}). Risk: every replica applies at
 *                             startup; the plan's lease lock makes one of them do the work and the others wait
 *                             ({@code lock-wait})
 * @param confirmIrreversible  irreversible steps that startup may apply (default none: a plan that reaches one
 *                             fails startup with {@code ConfirmationRequiredException}). {@code "*"} confirms all.
 *                             Risk: a delete on startup cannot be undone
 * @param bucket               the KV bucket of plans' state and locks (default {@code natsmigrate_plans})
 * @param instanceId           this instance in the history and the lock (default: the runner's, host and pid)
 * @param lockWait             how long startup waits for another instance's lock (default: the runner's)
 */
@ConfigurationProperties("natsmigrate")
public record NatsMigrateProperties(@DefaultValue("true") boolean enabled, String server, String credentials,
                                    String planFile, String targetPhase,
                                    @DefaultValue("true") boolean applyOnStartup,
                                    @DefaultValue List<String> confirmIrreversible,
                                    @DefaultValue("natsmigrate_plans") String bucket, String instanceId,
                                    Duration lockWait) {

    public NatsMigrateProperties {
        confirmIrreversible = confirmIrreversible == null ? List.of() : List.copyOf(confirmIrreversible);
    }
}
