package io.natsmigrate.core;

import io.nats.client.Connection;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A precondition a plan waits on before a phase or step: evaluated repeatedly until it passes or its timeout
 * ends ({@link GateTimeoutException}). Other modules contribute gates through this interface (parity, consumer
 * lag, DLQ empty).
 */
public interface Gate {

    /** Shown in reports and errors. */
    String name();

    /** One look at the condition. */
    GateResult evaluate(Connection nc) throws Exception;

    /** How long the plan waits for it (default 30 s). */
    default Duration timeout() {
        return Duration.ofSeconds(30);
    }

    /** Pause between evaluations (default 200 ms). */
    default Duration pollInterval() {
        return Duration.ofMillis(200);
    }

    /**
     * This gate as one element of a plan file, like {@link Step#declaration()}: {@code consumerDrained},
     * {@code consumersKeepUp} or {@code storedOnlyIn} with their fields. Empty for a gate only Java can express.
     */
    default Optional<Map<String, Object>> declaration() {
        return Optional.empty();
    }

    /** A gate from a function. */
    static Gate of(String name, Duration timeout, Check check) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(check, "check");
        return new Gate() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public GateResult evaluate(Connection nc) throws Exception {
                return check.evaluate(nc);
            }

            @Override
            public Duration timeout() {
                return timeout;
            }
        };
    }

    /** The evaluation of a gate built with {@link #of}. */
    @FunctionalInterface
    interface Check {
        GateResult evaluate(Connection nc) throws Exception;
    }
}
