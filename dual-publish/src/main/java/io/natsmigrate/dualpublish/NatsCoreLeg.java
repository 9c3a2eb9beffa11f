package io.natsmigrate.dualpublish;

import io.nats.client.Connection;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;

import java.util.Objects;

/** The built-in legacy leg: a plain NATS Core publish (no reply subject), carrying the Msg-Id header. */
final class NatsCoreLeg implements LegacyLeg {

    private final Connection nc;

    NatsCoreLeg(Connection nc) {
        this.nc = Objects.requireNonNull(nc, "connection");
    }

    Connection connection() {
        return nc;
    }

    @Override
    public void publish(String subject, Headers headers, byte[] data, String msgId) {
        nc.publish(NatsMessage.builder().subject(subject).headers(headers).data(data).build());
    }
}
