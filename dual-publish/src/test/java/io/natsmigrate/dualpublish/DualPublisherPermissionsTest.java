package io.natsmigrate.dualpublish;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.primitives.PermissionDeniedException;
import io.natsmigrate.primitives.PermissionViolations;
import io.natsmigrate.reliable.PermissionViolationException;
import io.natsmigrate.testkit.NatsServer;
import io.natsmigrate.testkit.UserPermissions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dual publisher with exactly the permissions the README lists: both legs deliver every message; with any one
 * removed a typed error names it, and no message is lost without a word: a denied legacy (Core) publish throws
 * from that very call, a denied JetStream publish is kept for replay with the violation as its cause, and a
 * denied stream lookup or inbox fails {@code build()}.
 */
class DualPublisherPermissionsTest {

    static final UserPermissions NEEDED = UserPermissions.of(
            List.of("events", "js.events", "$JS.API.STREAM.INFO.EVENTS"), List.of("_INBOX.>"));

    @Test
    void theListedPermissionsAreEnoughAndEachOneIsNeeded() throws Exception {
        assertThat(run(NEEDED)).isEqualTo("legacy 10, stream 10");
        List<String> outcomes = NEEDED.outcomesWithOneRemoved(DualPublisherPermissionsTest::run);
        assertThat(outcomes).allSatisfy(o -> assertThat(o).containsAnyOf("PermissionDeniedException",
                "PermissionViolationException"));
        assertThat(outcomes).filteredOn(o -> o.startsWith("publish events "))
                .singleElement().asString().contains("thrown by publish #1", "\"events\"");
        assertThat(outcomes).filteredOn(o -> o.startsWith("publish js.events "))
                .singleElement().asString().contains("10 kept for replay");
    }

    /** Dual-publishes 10 messages as a user with these permissions; what happened. */
    private static String run(UserPermissions permissions) throws Exception {
        try (NatsServer server = NatsServer.builder().user("admin", "pw").user("app", "pw", permissions)
                .start();
             Connection admin = server.connect("admin", "pw");
             Connection nc = Nats.connect(server.optionsBuilder().userInfo("app", "pw")
                     .errorListener(PermissionViolations.recording()).build())) {
            admin.jetStreamManagement().addStream(StreamConfiguration.builder().name("EVENTS").subjects("js.events")
                    .build());
            Subscription legacyConsumer = admin.subscribe("events");
            admin.flush(Duration.ofSeconds(2));
            DualPublisher publisher;
            try {
                publisher = DualPublisher.builder().legacy(LegacyLeg.nats(nc)).jetStream(nc, "EVENTS")
                        .subjectMapping(s -> "js." + s).mode(PublishMode.DUAL).build();
            } catch (DualPublishException e) {
                return describe(e);
            }
            try {
                for (int i = 1; i <= 10; i++) {
                    try {
                        publisher.publish("events", new byte[]{(byte) i});
                    } catch (Exception e) {
                        return describe(e) + " thrown by publish #" + i;
                    }
                }
                assertThat(publisher.flush(Duration.ofSeconds(15))).isTrue();
                if (!publisher.undelivered().isEmpty()) {
                    return describe(publisher.undelivered().get(0).cause()) + ", "
                            + publisher.undelivered().size() + " kept for replay";
                }
                await().atMost(Duration.ofSeconds(5)).until(() -> legacyConsumer.getPendingMessageCount() == 10);
                return "legacy " + legacyConsumer.getPendingMessageCount() + ", stream "
                        + admin.jetStreamManagement().getStreamInfo("EVENTS").getStreamState().getMsgCount();
            } finally {
                try {
                    publisher.close();
                } catch (UndeliveredMessagesException expectedWhenJetStreamWasDenied) {
                    // the messages are in the exception; the outcome above already names the cause
                }
            }
        }
    }

    private static String describe(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof PermissionDeniedException || c instanceof PermissionViolationException) {
                return c.getClass().getSimpleName() + ": " + c.getMessage();
            }
        }
        return t.toString();
    }
}
