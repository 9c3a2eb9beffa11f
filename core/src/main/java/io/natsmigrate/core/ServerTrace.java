package io.natsmigrate.core;

import java.util.List;

/**
 * What one server reported about a traced message: each server the message passes sends one of these.
 *
 * @param serverName the server's name
 * @param serverId   its id
 * @param cluster    its cluster name, null for a server outside a cluster
 * @param domain     its JetStream domain, null without one
 * @param version    its version
 * @param hop        where it sits in the path: null for the server the message was published to, {@code "1"},
 *                   {@code "1.2"} ... for the servers it was forwarded to
 * @param forwards   how many servers it forwarded the message to
 * @param events     what it did, in order
 */
public record ServerTrace(String serverName, String serverId, String cluster, String domain, String version,
                          String hop, int forwards, List<TraceEvent> events) {

    public ServerTrace {
        events = List.copyOf(events);
    }
}
