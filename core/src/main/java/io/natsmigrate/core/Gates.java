package io.natsmigrate.core;

import io.nats.client.api.ConsumerInfo;

import java.time.Duration;

/** Gates the engine ships with. */
public final class Gates {

    private Gates() {
    }

    /**
     * Passes when the consumer has delivered everything and nothing awaits an ack
     * ({@code num_pending == 0 && num_ack_pending == 0}): the old path is drained.
     */
    public static Gate consumerDrained(String stream, String consumer, Duration timeout) {
        return Gate.of("consumer " + stream + " > " + consumer + " drained", timeout, nc -> {
            ConsumerInfo ci = nc.jetStreamManagement().getConsumerInfo(stream, consumer);
            String detail = "num_pending=" + ci.getNumPending() + ", num_ack_pending=" + ci.getNumAckPending();
            return ci.getNumPending() == 0 && ci.getNumAckPending() == 0 ? GateResult.pass(detail)
                    : GateResult.fail(detail);
        });
    }
}
