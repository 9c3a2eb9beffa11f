package io.natsmigrate.testkit;

import io.nats.client.Connection;
import io.nats.client.PublishOptions;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ChaosToolsTest {

    @Test
    void killScheduleKillsAtEachThresholdAndStreamContentsCountsCopies() throws Exception {
        try (NatsServer server = NatsServer.start(); Connection nc = server.connect()) {
            nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("S").subjects("s").build());
            AtomicLong progress = new AtomicLong();
            long firstPid = server.pid();
            try (KillSchedule chaos = KillSchedule.start(server, progress::get, Duration.ofSeconds(10), 2, 4)) {
                for (int i = 0; i < 6; i++) {
                    progress.incrementAndGet();
                }
                chaos.await();
                assertThat(chaos.kills()).isEqualTo(2);
            }
            assertThat(server.pid()).isNotEqualTo(firstPid);
            // a threshold that is never reached ends the schedule after its timeout
            try (KillSchedule never = KillSchedule.start(server, () -> 0, Duration.ofMillis(100), 1)) {
                never.await();
                assertThat(never.kills()).isZero();
            }
            var js = nc.jetStream();
            js.publish("s", "a".getBytes(), PublishOptions.builder().messageId("a").build());
            js.publish("s", "b".getBytes(), PublishOptions.builder().messageId("b").build());
            js.publish("s", "b".getBytes()); // no Msg-Id: stored again
            assertThat(StreamContents.countByMsgId(nc, "S")).containsEntry("a", 1).containsEntry("b", 1)
                    .containsEntry(null, 1);
            assertThat(StreamContents.countBy(nc, "S", m -> new String(m.getData()))).containsEntry("a", 1)
                    .containsEntry("b", 2);
        }
    }
}
