package io.natsmigrate.primitives;

import io.nats.client.impl.Headers;

import static io.nats.client.support.NatsJetStreamConstants.MSG_ID_HDR;

/**
 * Header names natsmigrate adds to messages it moves, and server headers it reads that jnats has no constant for,
 * in one place (as jnats keeps its own).
 */
public final class MigrationHeaders {

    /**
     * The {@code Nats-Msg-Id} a message had before it was delayed: nats-server drops {@code Nats-Msg-Id} from a
     * message a schedule fires, so the delay relay and delayed publishes keep it here.
     */
    public static final String DELAY_ORIGINAL_MSG_ID = "Delay-Original-Msg-Id";

    /**
     * Set by nats-server on a message a stream sourced from another: {@code "<origin>:<origin hash> <origin
     * sequence> <filter> > <subject>"}. Not in jnats's constants.
     */
    public static final String STREAM_SOURCE = "Nats-Stream-Source";

    private MigrationHeaders() {
    }

    /** The message's id: its {@code Nats-Msg-Id}, or the one it had before a delay; null when neither is set. */
    public static String msgId(Headers headers) {
        if (headers == null) {
            return null;
        }
        String id = headers.getFirst(MSG_ID_HDR);
        return id != null ? id : headers.getFirst(DELAY_ORIGINAL_MSG_ID);
    }
}
