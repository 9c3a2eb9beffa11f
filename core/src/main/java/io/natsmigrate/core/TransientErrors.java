package io.natsmigrate.core;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamStatusException;
import io.natsmigrate.primitives.PermissionDeniedException;
import io.natsmigrate.primitives.PermissionViolations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;

/**
 * Which failures of a JetStream call go away by themselves in a cluster (a leader election, a node restarting, a
 * request lost with a connection), and retrying a call through them within a bound. Classified by API error and
 * status codes and exception types, never by text: a 503 (including 10008, JetStream cluster not available), a 408,
 * 10005 (no peers for placement: a peer is restarting; a plan asking for more replicas than the cluster has fails
 * with it too, after the bound), request timeouts and I/O errors.
 */
public final class TransientErrors {

    private static final Logger LOG = LoggerFactory.getLogger(TransientErrors.class);
    /** JetStream system temporarily unavailable (cluster not available). */
    static final int CLUSTER_NOT_AVAILABLE = 10008;
    /** No suitable peers for placement: in a cluster, a peer restarting; gone once it is back. */
    static final int NO_PEERS_FOR_PLACEMENT = 10005;
    private static final long MIN_BACKOFF_MILLIS = 100;
    private static final long MAX_BACKOFF_MILLIS = 2_000;

    private TransientErrors() {
    }

    /** Whether {@code t} (or a cause) is a failure a retry can get past. */
    public static boolean isTransient(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof JetStreamApiException e) {
                return e.getErrorCode() == 503 || e.getErrorCode() == 408
                        || e.getApiErrorCode() == CLUSTER_NOT_AVAILABLE || e.getApiErrorCode() == NO_PEERS_FOR_PLACEMENT;
            }
            if (c instanceof JetStreamStatusException s) {
                return s.getStatus() != null && (s.getStatus().getCode() == 503 || s.getStatus().getCode() == 408);
            }
            if (c instanceof TimeoutException || c instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs {@code call}, again after each transient failure (backoff 100 ms doubling to 2 s) until {@code bound}
     * has passed; the last failure then propagates. Non-transient failures propagate at once.
     */
    static <T> T retry(Duration bound, String what, Callable<T> call) throws Exception {
        return retry(List.<Connection>of(), bound, what, call);
    }

    /**
     * As {@link #retry(Duration, String, Callable)}, and a timeout on {@code nc} that the server explains with a
     * permissions violation ends the retries at once with {@link PermissionDeniedException}.
     */
    static <T> T retry(Connection nc, Duration bound, String what, Callable<T> call) throws Exception {
        return retry(nc == null ? List.of() : List.of(nc), bound, what, call);
    }

    /**
     * As {@link #retry(Duration, String, Callable)}, watching every connection in {@code watched} (a step may call
     * on the runner's system and on others) for a permissions violation that explains a timeout.
     */
    static <T> T retry(List<Connection> watched, Duration bound, String what, Callable<T> call) throws Exception {
        List<Connection> connections = watched.stream().distinct().toList();
        long deadline = System.nanoTime() + bound.toNanos();
        long backoff = MIN_BACKOFF_MILLIS;
        for (int attempt = 1; ; attempt++) {
            Map<Connection, PermissionViolations.Mark> marks = new IdentityHashMap<>();
            connections.forEach(c -> marks.put(c, PermissionViolations.mark(c)));
            try {
                return call.call();
            } catch (Exception e) {
                if (isTransient(e)) {
                    for (Connection c : connections) {
                        PermissionViolations.throwIfDeniedSince(c, marks.get(c), e);
                    }
                }
                if (!isTransient(e) || System.nanoTime() + backoff * 1_000_000 > deadline) {
                    throw e;
                }
                if (attempt == 1) {
                    LOG.warn("{} failed transiently ({}); retrying for up to {}", what, e.toString(), bound);
                }
                Thread.sleep(backoff);
                backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
            }
        }
    }
}
