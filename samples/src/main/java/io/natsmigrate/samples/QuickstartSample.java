package io.natsmigrate.samples;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PublishOptions;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.testkit.NatsServer;

import java.io.PrintStream;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * The smallest end-to-end run: a real server from the testkit, a file-backed stream with limits, 1,000 messages
 * published with Msg-Ids, consumed by a durable pull consumer and acknowledged, and every message accounted for.
 */
final class QuickstartSample implements Sample {

    private static final int MESSAGES = 1_000;

    @Override
    public String name() {
        return "quickstart";
    }

    @Override
    public String description() {
        return "start a server, create a stream, publish 1,000 messages, consume them with a durable consumer";
    }

    @Override
    public SampleReport run(PrintStream out) throws Exception {
        PhaseTimer phases = new PhaseTimer(out);
        phases.begin("start nats-server");
        try (NatsServer server = NatsServer.builder().syncInterval("always").start();
             Connection nc = server.connect()) {
            out.println("    nats-server " + server.version() + " at " + server.url());

            phases.begin("provision stream and consumer");
            JetStreamManagement jsm = nc.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name("quickstart").subjects("quickstart.>")
                    .storageType(StorageType.File).maxAge(Duration.ofHours(1)).maxMessages(10_000)
                    .maxBytes(10L * 1024 * 1024).build());
            jsm.addOrUpdateConsumer("quickstart", ConsumerConfiguration.builder().durable("quickstart-app")
                    .ackPolicy(AckPolicy.Explicit).build());

            phases.begin("publish");
            JetStream js = nc.jetStream();
            long published = 0;
            long duplicateAcks = 0;
            for (int i = 0; i < MESSAGES; i++) {
                PublishAck ack = js.publish("quickstart.events", ("event " + i).getBytes(),
                        PublishOptions.builder().messageId("event-" + i).build());
                published++;
                if (ack.isDuplicate()) {
                    duplicateAcks++;
                }
                if ((i + 1) % 250 == 0) {
                    out.println("    published " + (i + 1) + "/" + MESSAGES);
                }
            }

            phases.begin("consume");
            JetStreamSubscription sub = js.subscribe(null, PullSubscribeOptions.bind("quickstart", "quickstart-app"));
            Set<String> seen = new HashSet<>();
            long duplicates = duplicateAcks;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (seen.size() < published && System.nanoTime() < deadline) {
                for (Message m : sub.fetch(250, Duration.ofSeconds(1))) {
                    if (!seen.add(m.getHeaders().getFirst("Nats-Msg-Id"))) {
                        duplicates++;
                    }
                    m.ack();
                }
                out.println("    delivered " + seen.size() + "/" + published + ", lag "
                        + jsm.getConsumerInfo("quickstart", "quickstart-app").getNumPending());
            }
            return new SampleReport(published, seen.size(), duplicates, published - seen.size(), phases.phases());
        }
    }
}
