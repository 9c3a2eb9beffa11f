package io.natsmigrate.dualpublish;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
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
 * The parity verifier with exactly the permissions the README lists: it matches both paths; with any one removed
 * {@code build()} fails with a typed error naming it, instead of a verifier that sees one path empty and reports
 * every message as missing.
 */
class ParityVerifierPermissionsTest {

    static final UserPermissions NEEDED = UserPermissions.of(List.of("$JS.API.CONSUMER.CREATE.EVENTS.>"),
            List.of("events", "_INBOX.>"));

    @Test
    void theListedPermissionsAreEnoughAndEachOneIsNeeded() throws Exception {
        assertThat(verify(NEEDED)).isEqualTo("matched 10");
        List<String> outcomes = NEEDED.outcomesWithOneRemoved(ParityVerifierPermissionsTest::verify);
        assertThat(outcomes).allSatisfy(o -> assertThat(o).contains("PermissionDeniedException"));
    }

    private static String verify(UserPermissions permissions) throws Exception {
        try (NatsServer server = NatsServer.builder().user("admin", "pw").user("verifier", "pw", permissions)
                .start();
             Connection admin = server.connect("admin", "pw");
             Connection nc = Nats.connect(server.optionsBuilder().userInfo("verifier", "pw")
                     .errorListener(PermissionViolations.recording()).build())) {
            admin.jetStreamManagement().addStream(StreamConfiguration.builder().name("EVENTS").subjects("js.events")
                    .build());
            ParityVerifier verifier;
            try {
                verifier = ParityVerifier.builder().legacy(nc, "events").jetStream(nc, "EVENTS")
                        .window(Duration.ofSeconds(2)).build();
            } catch (DualPublishException e) {
                return e.getCause() instanceof PermissionDeniedException ? "PermissionDeniedException: "
                        + e.getCause().getMessage() : e.toString();
            }
            try (verifier) {
                for (int i = 0; i < 10; i++) {
                    Headers h = new Headers().put("Nats-Msg-Id", "m" + i);
                    admin.publish(NatsMessage.builder().subject("events").headers(h).data(new byte[]{1}).build());
                    admin.jetStream().publish(NatsMessage.builder().subject("js.events").headers(h)
                            .data(new byte[]{1}).build());
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> verifier.report().matched() == 10);
                return "matched " + verifier.report().matched();
            }
        }
    }
}
