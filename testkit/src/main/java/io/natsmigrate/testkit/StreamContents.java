package io.natsmigrate.testkit;

import io.nats.client.Connection;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.support.NatsJetStreamConstants;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Reads everything a stream holds, without side effects (an ephemeral consumer without acks), to count how often
 * each message is stored: the check at the end of a "nothing lost, nothing duplicated" test.
 */
public final class StreamContents {

    private StreamContents() {
    }

    /** How often each {@code Nats-Msg-Id} is stored in {@code stream} (messages without one are counted as null). */
    public static Map<String, Integer> countByMsgId(Connection nc, String stream) throws Exception {
        return countBy(nc, stream, m -> m.getHeaders() == null ? null : m.getHeaders().getFirst(NatsJetStreamConstants.MSG_ID_HDR));
    }

    /** How often each key (for example the payload as text) is stored in {@code stream}. */
    public static Map<String, Integer> countBy(Connection nc, String stream, Function<Message, String> key)
            throws Exception {
        Objects.requireNonNull(nc, "connection");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(key, "key");
        long stored = nc.jetStreamManagement().getStreamInfo(stream).getStreamState().getMsgCount();
        Map<String, Integer> counts = new HashMap<>();
        JetStreamSubscription sub = nc.jetStream().subscribe(null, PullSubscribeOptions.builder().stream(stream)
                .configuration(ConsumerConfiguration.builder().ackPolicy(AckPolicy.None).build()).build());
        try {
            long read = 0;
            while (read < stored) {
                List<Message> batch = sub.fetch(1000, Duration.ofSeconds(2));
                if (batch.isEmpty()) {
                    break;
                }
                for (Message m : batch) {
                    counts.merge(key.apply(m), 1, Integer::sum);
                    read++;
                }
            }
        } finally {
            sub.unsubscribe();
        }
        return counts;
    }
}
