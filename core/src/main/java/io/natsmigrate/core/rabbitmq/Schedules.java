package io.natsmigrate.core.rabbitmq;

import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.nats.client.support.NatsJetStreamConstants;

import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * The one place a delayed message becomes a message schedule (nats-server 2.12): the application's headers travel
 * (the server copies them to the fired message), server headers ({@code Nats-*}) do not, and the message's
 * {@code Nats-Msg-Id}, which the server drops from a fired message, is kept in
 * {@link DelayQueueRelay#ORIGINAL_MSG_ID}.
 */
final class Schedules {

    private Schedules() {
    }

    /**
     * The schedule message: on {@code scheduleSubject} (one schedule per subject), due at {@code due}, firing onto
     * {@code target} (a subject of the same stream); {@code scheduleMsgId} de-duplicates the schedule itself.
     */
    static NatsMessage schedule(String scheduleSubject, String target, Instant due, Headers original, byte[] data,
                                String scheduleMsgId) {
        Headers h = new Headers();
        if (original != null) {
            original.entrySet().stream()
                    .filter(e -> !e.getKey().startsWith("Nats-"))
                    .forEach(e -> h.put(e.getKey(), e.getValue()));
            String id = original.getFirst(NatsJetStreamConstants.MSG_ID_HDR);
            if (id != null) {
                h.put(DelayQueueRelay.ORIGINAL_MSG_ID, id);
            }
        }
        h.put(NatsJetStreamConstants.NATS_SCHEDULE_HDR, "@at " + DateTimeFormatter.ISO_INSTANT.format(due));
        h.put(NatsJetStreamConstants.NATS_SCHEDULE_TARGET_HDR, target);
        if (scheduleMsgId != null) {
            h.put(NatsJetStreamConstants.MSG_ID_HDR, scheduleMsgId);
        }
        return NatsMessage.builder().subject(scheduleSubject).headers(h).data(data).build();
    }
}
