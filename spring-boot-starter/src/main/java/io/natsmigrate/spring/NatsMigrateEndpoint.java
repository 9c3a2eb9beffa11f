package io.natsmigrate.spring;

import io.natsmigrate.core.Transition;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code natsmigrate} actuator endpoint ({@code /actuator/natsmigrate}): the migration's status;
 * {@code /actuator/natsmigrate/history} its history. Expose it with
 * {@code management.endpoints.web.exposure.include=natsmigrate}.
 */
@Endpoint(id = "natsmigrate")
public class NatsMigrateEndpoint {

    private final MigrationStatus status;

    public NatsMigrateEndpoint(MigrationStatus status) {
        this.status = status;
    }

    /** Phase, target, steps, lock, gates waited on, dead letters and consumer lag. */
    @ReadOperation
    public Map<String, Object> status() throws Exception {
        MigrationStatus.Snapshot s = status.look();
        Map<String, Object> m = new LinkedHashMap<>(s.details());
        m.put("targetReached", s.targetReached());
        return m;
    }

    /** {@code history}: every transition, oldest first. */
    @ReadOperation
    public List<Map<String, Object>> part(@Selector String part) {
        if (!part.equals("history")) {
            throw new IllegalArgumentException("Unknown part " + part + "; the endpoint has: history");
        }
        return status.history().stream().map(NatsMigrateEndpoint::transition).toList();
    }

    private static Map<String, Object> transition(Transition t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", t.seq());
        m.put("kind", String.valueOf(t.kind()));
        m.put("subject", t.subject());
        m.put("phase", t.phase());
        m.put("outcome", String.valueOf(t.outcome()));
        m.put("action", t.action() == null ? null : t.action().name());
        m.put("instance", t.instance());
        m.put("at", t.at());
        m.put("durationMillis", t.durationMillis());
        m.put("detail", t.detail());
        return m;
    }
}
