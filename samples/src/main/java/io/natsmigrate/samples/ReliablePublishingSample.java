package io.natsmigrate.samples;

import io.nats.client.Connection;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.reliable.ReliablePublisher;
import io.natsmigrate.reliable.RetryPolicy;
import io.natsmigrate.testkit.KillSchedule;
import io.natsmigrate.testkit.NatsServer;
import io.natsmigrate.testkit.StreamContents;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** 10,000 messages through the reliable publisher while the server is SIGKILLed and restarted three times. */
final class ReliablePublishingSample implements Sample {

    private static final int MESSAGES = 10_000;
    private static final long[] KILL_AT = {2_000, 5_000, 8_000};

    @Override
    public String name() {
        return "reliable-publishing";
    }

    @Override
    public String description() {
        return "10,000 messages published while the server is SIGKILLed and restarted 3 times; each stored once";
    }

    @Override
    public SampleReport run(PrintStream out) throws Exception {
        PhaseTimer phases = new PhaseTimer(out);
        phases.begin("start nats-server (sync_interval: always)");
        try (NatsServer server = NatsServer.builder().syncInterval("always").start(); Connection nc = server.connect()) {
            nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("PAYMENTS").subjects("payments.>")
                    .storageType(StorageType.File).build());
            phases.begin("publish through 3 kills");
            AtomicInteger done = new AtomicInteger();
            KillSchedule chaos = KillSchedule.start(server, done::get, Duration.ofMinutes(2),
                    n -> out.println("    SIGKILL " + n + " after " + KILL_AT[n - 1] + " acks; restarting"), KILL_AT);
            long failed;
            long duplicateAcks;
            try (ReliablePublisher p = ReliablePublisher.builder(nc).maxInFlight(1000)
                    .retryPolicy(RetryPolicy.builder().maxAttempts(100).attemptTimeout(Duration.ofSeconds(1))
                            .deadline(Duration.ofSeconds(90)).build()).build()) {
                for (int i = 0; i < MESSAGES; i++) {
                    p.publishAsync("payments.settled", ("payment " + i).getBytes())
                            .whenComplete((a, e) -> done.incrementAndGet());
                }
                p.flush(Duration.ofMinutes(2));
                chaos.await();
                failed = p.stats().failed();
                duplicateAcks = p.stats().duplicates();
                out.println("    publisher: " + p.stats());
            }
            phases.begin("count what the stream holds");
            Map<String, Integer> stored = StreamContents.countByMsgId(nc, "PAYMENTS");
            long duplicates = stored.values().stream().mapToLong(n -> n - 1).sum();
            out.println("    " + duplicateAcks + " retries after a lost ack were recognised as duplicates by the server;"
                    + " " + failed + " messages failed");
            return new SampleReport(MESSAGES, stored.size(), duplicates, MESSAGES - stored.size(), phases.phases());
        }
    }
}
