package io.natsmigrate.dualpublish;

import io.nats.client.Connection;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.natsmigrate.primitives.PermissionDeniedException;
import io.natsmigrate.primitives.PermissionViolation;
import io.natsmigrate.primitives.PermissionViolations;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * The built-in legacy leg: a plain NATS Core publish (no reply subject), carrying the Msg-Id header. The first
 * publish to each subject is confirmed with a round trip so a denied one fails loudly (see
 * {@link LegacyLeg#nats(Connection)}).
 */
final class NatsCoreLeg implements LegacyLeg {

    /** Subjects confirmed once; past this many, new subjects are not confirmed (a cost bound, not a rule). */
    static final int CONFIRMED_SUBJECTS = 10_000;
    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(5);

    private final Connection nc;
    private final Set<String> confirmed = ConcurrentHashMap.newKeySet();

    NatsCoreLeg(Connection nc) {
        this.nc = Objects.requireNonNull(nc, "connection");
    }

    @Override
    public Optional<Connection> connection() {
        return Optional.of(nc);
    }

    @Override
    public void publish(String subject, Headers headers, byte[] data, String msgId) throws InterruptedException {
        PermissionViolations.Mark before = PermissionViolations.mark(nc);
        nc.publish(NatsMessage.builder().subject(subject).headers(headers).data(data).build());
        if (confirmed.contains(subject) || confirmed.size() >= CONFIRMED_SUBJECTS) {
            return;
        }
        try {
            nc.flush(CONFIRM_TIMEOUT);
        } catch (TimeoutException disconnected) {
            return; // buffered for the reconnect, as any Core publish; confirm this subject next time
        }
        // The server handles the publish before the ping, so a denial is known once the flush returns. A denied
        // subject is never remembered as confirmed: each publish to it fails, and a permission granted by a
        // config reload is seen at once.
        Optional<PermissionViolation> denied = PermissionViolations.since(nc, before, PermissionViolation.Kind.PUBLISH,
                subject);
        if (denied.isPresent()) {
            throw new PermissionDeniedException(denied.get(), null);
        }
        confirmed.add(subject);
    }
}
