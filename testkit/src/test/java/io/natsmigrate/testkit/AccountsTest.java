package io.natsmigrate.testkit;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccountsTest {

    @Test
    void twoAccountsAreIsolatedExceptForWhatTheyExportAndImport() throws Exception {
        Account orders = Account.builder("ORDERS").user("orders", "o-pw").jetStream(true)
                .exportStream("orders.>").build();
        Account billing = Account.builder("BILLING").user("billing", "b-pw").jetStream(true)
                .importStream("ORDERS", "orders.>").build();
        try (NatsServer server = NatsServer.builder().account(orders).account(billing).start();
             Connection ordersNc = server.connect("orders", "o-pw");
             Connection billingNc = server.connect("billing", "b-pw")) {
            Subscription imported = billingNc.subscribe("orders.>");
            Subscription notExported = billingNc.subscribe("internal.>");
            billingNc.flush(Duration.ofSeconds(2));

            ordersNc.publish("orders.created", "o1".getBytes());
            ordersNc.publish("internal.audit", "a1".getBytes());
            ordersNc.flush(Duration.ofSeconds(2));

            Message m = imported.nextMessage(Duration.ofSeconds(2));
            assertThat(m).isNotNull();
            assertThat(new String(m.getData())).isEqualTo("o1");
            assertThat(notExported.nextMessage(Duration.ofMillis(200))).isNull();

            // Each account has its own JetStream: same stream name, no clash.
            ordersNc.jetStreamManagement().addStream(StreamConfiguration.builder().name("S").subjects("x").build());
            billingNc.jetStreamManagement().addStream(StreamConfiguration.builder().name("S").subjects("x").build());
        }
    }

    @Test
    void wrongPasswordIsRefused() {
        Account a = Account.builder("A").user("a", "right").build();
        try (NatsServer server = NatsServer.builder().account(a).start()) {
            assertThatThrownBy(() -> io.nats.client.Nats.connect(server.optionsBuilder().userInfo("a", "wrong")
                    .connectionTimeout(Duration.ofMillis(500)).build()))
                    .hasMessageContaining("Authorization");
        }
    }

    @Test
    void invalidAccountsAreRejectedWithTheFix() {
        assertThatThrownBy(() -> Account.builder("has space")).hasMessageContaining("letters, digits");
        assertThatThrownBy(() -> Account.builder("A").build()).hasMessageContaining("user(name, password)");
    }
}
