package io.natsmigrate.consumer;

import io.nats.client.Connection;
import io.nats.client.Nats;
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
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The consumer runner with exactly the permissions the README lists: it handles and acknowledges every message;
 * with any one removed it stops with a typed error naming the permission (at build, or as {@code failure()}) instead
 * of waiting for messages that never come.
 */
class ConsumerRunnerPermissionsTest {

    static final UserPermissions NEEDED = UserPermissions.of(List.of(
            "$JS.API.STREAM.INFO.ORDERS",
            "$JS.API.CONSUMER.INFO.ORDERS.billing",
            "$JS.API.CONSUMER.MSG.NEXT.ORDERS.billing",
            "$JS.ACK.ORDERS.billing.>"), List.of("_INBOX.>"));

    @Test
    void theListedPermissionsAreEnoughAndEachOneIsNeeded() throws Exception {
        assertThat(run(NEEDED)).isEqualTo("handled 20, none pending");
        List<String> outcomes = NEEDED.outcomesWithOneRemoved(ConsumerRunnerPermissionsTest::run);
        assertThat(outcomes).allSatisfy(o -> assertThat(o).contains("PermissionDeniedException"));
    }

    /** Runs the consumer as a user with these permissions over 20 messages; what happened. */
    private static String run(UserPermissions permissions) throws Exception {
        try (NatsServer server = NatsServer.builder().user("admin", "pw").user("app", "pw", permissions)
                .start();
             Connection admin = server.connect("admin", "pw");
             Connection nc = Nats.connect(server.optionsBuilder().userInfo("app", "pw")
                     .errorListener(PermissionViolations.recording()).build())) {
            admin.jetStreamManagement().addStream(StreamConfiguration.builder().name("ORDERS").subjects("orders.>")
                    .build());
            ConsumerConfiguration config = ConsumerConfiguration.builder().durable("billing")
                    .ackPolicy(AckPolicy.Explicit).ackWait(Duration.ofSeconds(30)).build();
            admin.jetStreamManagement().addOrUpdateConsumer("ORDERS", config); // provisioned by the operator
            for (int i = 0; i < 20; i++) {
                admin.jetStream().publish("orders.created", new byte[]{(byte) i});
            }
            AtomicInteger handled = new AtomicInteger();
            ConsumerRunner runner;
            try {
                runner = ConsumerRunner.builder(nc, "ORDERS", config).handler(d -> {
                    handled.incrementAndGet();
                    return Outcome.ack();
                }).build();
            } catch (ConsumerPatternsException e) {
                return describe(e);
            }
            try (runner) {
                await().atMost(Duration.ofSeconds(15)).until(() -> runner.failure().isPresent()
                        || (handled.get() == 20 && admin.jetStreamManagement().getConsumerInfo("ORDERS", "billing")
                        .getNumAckPending() == 0));
                if (runner.failure().isPresent()) {
                    return describe(runner.failure().get());
                }
                return "handled " + handled.get() + ", none pending";
            }
        }
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
