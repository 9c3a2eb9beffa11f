package io.natsmigrate.samples;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class SamplesTest {

    @Test
    void quickstartAccountsForEveryMessage() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code = Samples.run("quickstart", new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(code).as(out).isZero();
        assertThat(out).contains("published 1000, delivered 1000, duplicates 0, lost 0", "result: OK");
    }

    @Test
    void coreToJetStreamMigratesWithoutLosingOrDuplicatingAMessage() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code = Samples.run("core-to-jetstream", new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(code).as(out).isZero();
        assertThat(out).contains("duplicates 0, lost 0", "now at decommission", "parity: parity", "result: OK");
    }

    @Test
    void crossSystemMovesStreamAndConsumersThroughTheLeaf() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code = Samples.run("cross-system", new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(code).as(out).isZero();
        assertThat(out).contains("duplicates 0, lost 0", "plan at bridge-removed; target sources []; leaf clone"
                + " deleted", "result: OK");
    }

    @Test
    void rabbitMqWorkQueueMovesFromARealBrokerWithDeadLetteringAndDelayedRetries() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code = Samples.run("rabbitmq", new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(code).as(out).isZero();
        assertThat(out).contains("RabbitMQ 3.10", "delay queue work.retry", "duplicates 0, lost 0", "result: OK");
        assertThat(out).containsPattern("processed [1-9]\\d* on AMQP and [1-9]\\d* on JetStream")
                .containsPattern("retried [1-9]").containsPattern("dead-lettered [1-9]")
                .containsPattern("relay scheduled [1-9]");
    }

    @Test
    void reliablePublishingAndOptimisticConcurrencyLoseNothing() {
        for (String sample : new String[]{"reliable-publishing", "optimistic-concurrency"}) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            int code = Samples.run(sample, new PrintStream(buf, true, StandardCharsets.UTF_8));
            String out = buf.toString(StandardCharsets.UTF_8);
            assertThat(code).as(out).isZero();
            assertThat(out).contains("duplicates 0, lost 0", "result: OK");
        }
    }

    @Test
    void unknownSampleNamesTheAvailableOnes() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code = Samples.run("nope", new PrintStream(buf, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(buf.toString(StandardCharsets.UTF_8)).contains("Unknown sample \"nope\"", "quickstart");
    }
}
