package io.natsmigrate.testkit;

import io.nats.client.Connection;
import io.nats.client.Nats;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Users with exactly the permissions a least-privilege test gives them. */
class UserPermissionsTest {

    @Test
    void aUserMayDoWhatItsPermissionsAllowAndNothingElse() throws Exception {
        UserPermissions app = UserPermissions.of(List.of("orders.>"), List.of("orders.>", "_INBOX.>"));
        assertThat(app.eachWithOneRemoved()).containsOnlyKeys("publish orders.>", "subscribe orders.>",
                "subscribe _INBOX.>");
        assertThat(app.eachWithOneRemoved().get("publish orders.>").publish()).isEmpty();
        try (NatsServer server = NatsServer.builder().user("admin", "pw").user("app", "pw", app).start();
             Connection nc = Nats.connect(server.optionsBuilder().userInfo("app", "pw").build())) {
            assertThat(server.configText()).contains("authorization").contains("\"orders.>\"");
            nc.publish("orders.created", new byte[0]);
            nc.flush(Duration.ofSeconds(2));
            assertThat(nc.getLastError()).isNull();
            nc.publish("billing.created", new byte[0]);
            await().atMost(Duration.ofSeconds(5)).until(() -> nc.getLastError() != null);
            assertThat(nc.getLastError()).contains("Permissions Violation for Publish to \"billing.created\"");
        }
    }
}
