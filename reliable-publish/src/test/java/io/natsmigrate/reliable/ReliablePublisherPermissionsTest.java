package io.natsmigrate.reliable;

import io.nats.client.Connection;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.Nats;
import io.natsmigrate.primitives.PermissionViolation;
import io.natsmigrate.primitives.PermissionViolations;
import io.natsmigrate.testkit.NatsServer;
import io.natsmigrate.testkit.UserPermissions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The reliable publisher with exactly the permissions the README lists (publish on the stream's subjects,
 * subscribe to the inbox): it works; without either it fails with a typed error naming what is missing, at the
 * first timed-out attempt rather than at the retry deadline. The connection records every violation
 * ({@code PermissionViolations.recording()}): the denied inbox subscription is followed at once by denied stream
 * lookups, which would hide it from jnats's last error.
 */
class ReliablePublisherPermissionsTest {

    static final UserPermissions NEEDED = UserPermissions.of(List.of("orders.>"), List.of("_INBOX.>"));

    @Test
    void publishOnTheSubjectAndSubscribeToTheInboxAreEnoughAndEachIsNeeded() throws Exception {
        try (NatsServer server = NatsServer.builder().user("admin", "pw")
                .user("app", "pw", NEEDED)
                .user("noacks", "pw", NEEDED.eachWithOneRemoved().get("subscribe _INBOX.>"))
                .user("nopub", "pw", NEEDED.eachWithOneRemoved().get("publish orders.>"))
                .start();
             Connection admin = server.connect("admin", "pw")) {
            admin.jetStreamManagement().addStream(StreamConfiguration.builder().name("ORDERS").subjects("orders.>")
                    .build());
            try (Connection nc = server.connect("app", "pw");
                 ReliablePublisher p = ReliablePublisher.builder(nc).build()) {
                assertThat(p.publish("orders.created", new byte[]{1}).getSeqno()).isEqualTo(1);
            }
            for (String user : List.of("noacks", "nopub")) {
                try (Connection nc = Nats.connect(server.optionsBuilder().userInfo(user, "pw")
                        .errorListener(PermissionViolations.recording()).build());
                     ReliablePublisher p = ReliablePublisher.builder(nc).retryPolicy(RetryPolicy.builder()
                             .attemptTimeout(Duration.ofSeconds(1)).build()).build()) {
                    long start = System.nanoTime();
                    assertThatThrownBy(() -> p.publish("orders.created", new byte[]{2}))
                            .isInstanceOf(PermissionViolationException.class)
                            .satisfies(e -> assertThat(((PermissionViolationException) e).violation().kind())
                                    .isEqualTo(user.equals("noacks") ? PermissionViolation.Kind.SUBSCRIBE
                                            : PermissionViolation.Kind.PUBLISH))
                            .hasMessageContaining(user.equals("noacks") ? "Not permitted to subscribe to \"_INBOX."
                                    : "Not permitted to publish to \"orders.created\"");
                    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
                }
            }
            assertThat(admin.jetStreamManagement().getStreamInfo("ORDERS").getStreamState().getMsgCount())
                    .as("the acks a user cannot receive do not stop the server from storing").isBetween(1L, 2L);
        }
    }
}
