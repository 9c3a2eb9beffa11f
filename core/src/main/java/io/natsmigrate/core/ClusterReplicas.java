package io.natsmigrate.core;

import io.nats.client.Connection;
import io.nats.client.api.ServerInfo;

import java.util.Objects;

/**
 * The one rule for how many replicas the streams and buckets natsmigrate creates for itself get (plan state, DLQ
 * capture and dead letters, idempotency records) when the caller does not say: as many as the data they protect
 * would have in production, min(3, cluster size) on a clustered server, 1 on a single server (which refuses more,
 * error 10074). The cluster size is what the server advertises to clients ({@code connect_urls}); a cluster that
 * advertises nothing counts as 3.
 */
public final class ClusterReplicas {

    private ClusterReplicas() {
    }

    /** The default replicas for {@code nc}'s server. */
    public static int defaultFor(Connection nc) {
        Objects.requireNonNull(nc, "connection");
        ServerInfo info = nc.getServerInfo();
        if (info == null || info.getCluster() == null || info.getCluster().isEmpty()) {
            return 1;
        }
        int advertised = info.getConnectURLs() == null ? 0 : info.getConnectURLs().size();
        return advertised == 0 ? 3 : Math.max(1, Math.min(3, advertised));
    }

    /**
     * {@code requested} if given (> 0), else the default for {@code nc}.
     *
     * @throws IllegalArgumentException for a negative count
     */
    public static int resolve(Connection nc, int requested) {
        if (requested < 0) {
            throw new IllegalArgumentException("replicas must be 1 or more (0: the default, min(3, cluster size)),"
                    + " was " + requested);
        }
        return requested > 0 ? requested : defaultFor(nc);
    }
}
