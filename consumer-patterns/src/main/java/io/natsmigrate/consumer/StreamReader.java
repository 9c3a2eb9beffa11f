package io.natsmigrate.consumer;

import io.nats.client.Connection;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads a stream's current messages once, side-effect free (an ephemeral consumer without acks). */
final class StreamReader {

    private StreamReader() {
    }

    static List<Message> readAll(Connection nc, String stream, String filter) throws Exception {
        ConsumerConfiguration.Builder cc = ConsumerConfiguration.builder().ackPolicy(AckPolicy.None)
                .inactiveThreshold(Duration.ofSeconds(30));
        if (filter != null) {
            cc.filterSubject(filter);
        }
        long pending = nc.jetStreamManagement().getStreamInfo(stream).getStreamState().getMsgCount();
        JetStreamSubscription sub = nc.jetStream().subscribe(null, PullSubscribeOptions.builder().stream(stream)
                .configuration(cc.build()).build());
        List<Message> all = new ArrayList<>();
        try {
            while (all.size() < pending) {
                List<Message> batch = sub.fetch(500, Duration.ofMillis(300));
                if (batch.isEmpty()) {
                    break;
                }
                all.addAll(batch);
            }
        } finally {
            sub.unsubscribe();
        }
        return all;
    }
}
