package io.natsmigrate.spring;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerInfo;
import io.natsmigrate.consumer.ConsumerRunner;
import io.natsmigrate.consumer.DeadLetterQueue;
import org.springframework.beans.factory.ListableBeanFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The status figures of the application's consumer-patterns beans: each {@link ConsumerRunner}'s lag (pending and
 * awaiting ack on its consumer) and each {@link DeadLetterQueue}'s depth. Dead letters are reported, not judged:
 * a DLQ with messages is work for someone, not an outage.
 */
final class ConsumerFigures implements StatusContributor {

    private final ListableBeanFactory beans;

    ConsumerFigures(ListableBeanFactory beans) {
        this.beans = beans;
    }

    @Override
    public boolean contribute(Connection nc, Map<String, Object> details) throws Exception {
        JetStreamManagement jsm = nc.jetStreamManagement();
        Map<String, Object> consumers = new LinkedHashMap<>();
        for (Map.Entry<String, ConsumerRunner> e : beans.getBeansOfType(ConsumerRunner.class).entrySet()) {
            ConsumerRunner r = e.getValue();
            ConsumerInfo ci = jsm.getConsumerInfo(r.stream(), r.consumer());
            consumers.put(e.getKey(), Map.of("stream", r.stream(), "consumer", r.consumer(),
                    "numPending", ci.getNumPending(), "numAckPending", ci.getNumAckPending(),
                    "inProgress", r.stats().inProgress()));
        }
        if (!consumers.isEmpty()) {
            details.put("consumers", consumers);
        }
        Map<String, Object> dlqs = new LinkedHashMap<>();
        for (Map.Entry<String, DeadLetterQueue> e : beans.getBeansOfType(DeadLetterQueue.class).entrySet()) {
            String stream = e.getValue().dlqStream();
            dlqs.put(e.getKey(), Map.of("stream", stream,
                    "depth", jsm.getStreamInfo(stream).getStreamState().getMsgCount()));
        }
        if (!dlqs.isEmpty()) {
            details.put("deadLetters", dlqs);
        }
        return true;
    }
}
