package io.natsmigrate.consumer;

import io.nats.client.Connection;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.primitives.PermissionDeniedException;
import io.natsmigrate.primitives.PermissionViolations;
import io.natsmigrate.testkit.NatsServer;
import io.natsmigrate.testkit.UserPermissions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The DLQ with exactly the permissions the README lists: a terminated message becomes a dead letter; with any one
 * removed it fails with a typed error naming it (at build, or as {@code failure()}) instead of retrying an
 * advisory for ever. The advisory stays captured for a processor that has the permission.
 */
class DeadLetterQueuePermissionsTest {

    static final UserPermissions NEEDED = UserPermissions.of(List.of(
            "$JS.API.STREAM.INFO.DLQ_ADVISORIES", "$JS.API.STREAM.CREATE.DLQ_ADVISORIES",
            "$JS.API.STREAM.INFO.DLQ", "$JS.API.STREAM.CREATE.DLQ",
            "$JS.API.CONSUMER.INFO.DLQ_ADVISORIES.dlq-processor", "$JS.API.CONSUMER.CREATE.DLQ_ADVISORIES.>",
            "$JS.API.CONSUMER.MSG.NEXT.DLQ_ADVISORIES.dlq-processor", "$JS.ACK.DLQ_ADVISORIES.dlq-processor.>",
            "$JS.API.STREAM.INFO.ORDERS", "$JS.API.STREAM.MSG.GET.ORDERS",
            "dlq.>"), List.of("_INBOX.>"));

    @Test
    void theListedPermissionsAreEnoughAndEachOneIsNeeded() throws Exception {
        assertThat(deadLetter(NEEDED)).isEqualTo("1 dead letter");
        List<String> outcomes = NEEDED.outcomesWithOneRemoved(DeadLetterQueuePermissionsTest::deadLetter);
        assertThat(outcomes).allSatisfy(o -> assertThat(o).contains("PermissionDeniedException"));
    }

    private static String deadLetter(UserPermissions permissions) throws Exception {
        try (NatsServer server = NatsServer.builder().user("admin", "pw").user("dlq", "pw", permissions)
                .start();
             Connection admin = server.connect("admin", "pw");
             Connection nc = Nats.connect(server.optionsBuilder().userInfo("dlq", "pw")
                     .errorListener(PermissionViolations.recording()).build())) {
            admin.jetStreamManagement().addStream(StreamConfiguration.builder().name("ORDERS").subjects("orders.>")
                    .build());
            admin.jetStreamManagement().addOrUpdateConsumer("ORDERS", ConsumerConfiguration.builder()
                    .durable("billing").ackPolicy(AckPolicy.Explicit).build());
            DeadLetterQueue dlq;
            try {
                dlq = DeadLetterQueue.builder(nc).watch("ORDERS").build();
            } catch (RuntimeException e) {
                return describe(e);
            }
            try (dlq) {
                dlq.start();
                admin.jetStream().publish("orders.created", new byte[]{1});
                JetStreamSubscription sub = admin.jetStream().subscribe(null, PullSubscribeOptions.bind("ORDERS",
                        "billing"));
                for (Message m : sub.fetch(1, Duration.ofSeconds(5))) {
                    m.term();
                }
                // Done when the dead letter is written and its advisory acknowledged (an ack can be denied too).
                await().atMost(Duration.ofSeconds(20)).until(() -> dlq.failure().isPresent() || (dlqCount(admin) == 1
                        && admin.jetStreamManagement().getConsumerInfo("DLQ_ADVISORIES", "dlq-processor")
                        .getNumAckPending() == 0));
                return dlq.failure().map(DeadLetterQueuePermissionsTest::describe).orElse(dlqCount(admin)
                        + " dead letter");
            }
        }
    }

    private static long dlqCount(Connection admin) throws Exception {
        return admin.jetStreamManagement().getStreamInfo("DLQ").getStreamState().getMsgCount();
    }

    private static String describe(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof PermissionDeniedException) {
                return "PermissionDeniedException: " + c.getMessage();
            }
        }
        return t.toString();
    }
}
