package io.natsmigrate.testkit;

import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The real broker: started rootless from the provisioned tree, definitions in and out, routing, and stopped. */
class RabbitMqBrokerTest {

    static final String DEFINITIONS = """
            {"vhosts": [{"name": "/"}, {"name": "shop"}],
             "users": [{"name": "guest", "password_hash": "not-the-testkit-one", "tags": "administrator"}],
             "exchanges": [{"name": "events", "vhost": "shop", "type": "topic", "durable": true,
                            "auto_delete": false, "internal": false, "arguments": {}}],
             "queues": [{"name": "orders", "vhost": "shop", "durable": true, "auto_delete": false,
                         "arguments": {}}],
             "bindings": [{"source": "events", "vhost": "shop", "destination": "orders",
                           "destination_type": "queue", "routing_key": "order.*", "arguments": {}}]}
            """;

    @Test
    void runsARealBrokerThatImportsExportsAndRoutes() throws Exception {
        int amqp;
        try (RabbitMqBroker rabbit = RabbitMqBroker.start()) {
            amqp = rabbit.amqpPort();
            assertThat(rabbit.version()).startsWith("3.");
            rabbit.importDefinitions(DEFINITIONS);
            // The export's users were left out: the testkit still signs in as guest.
            assertThat(rabbit.exportDefinitions()).contains("\"orders\"", "\"order.*\"");
            assertThat(rabbit.publish("shop", "events", "order.created", "m1")).isTrue();
            assertThat(rabbit.publish("shop", "events", "user.created", "m2")).isFalse();
            assertThat(rabbit.publish("shop", "", "orders", "m3")).isTrue(); // the default exchange
            assertThat(rabbit.drain("shop", "orders")).isEqualTo(List.of("m1", "m3"));
            assertThat(rabbit.drain("shop", "orders")).isEmpty();
            try (Socket s = new Socket("127.0.0.1", amqp)) {
                assertThat(s.isConnected()).isTrue();
            }
            assertThatThrownBy(() -> rabbit.importDefinitions("[]")).hasMessageContaining("Not a definitions");
        }
        assertThatThrownBy(() -> new Socket("127.0.0.1", amqp).close()).isInstanceOf(java.io.IOException.class);
    }

    @Test
    void badBuilderSettingsAreRefusedWithTheRule() {
        assertThatThrownBy(() -> RabbitMqBroker.builder().plugins("rabbitmq federation"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a RabbitMQ plugin name");
        assertThatThrownBy(() -> RabbitMqBroker.builder().startTimeout(java.time.Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be positive");
        assertThatThrownBy(() -> RabbitMqBroker.builder().installation(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("installation");
    }

    @Test
    void aMissingInstallationNamesTheCommandToRun() {
        assertThatThrownBy(() -> RabbitMqInstallation.find(java.util.Map.of("NATSMIGRATE_CACHE", "/nonexistent"),
                java.nio.file.Path.of("/nonexistent")))
                .isInstanceOf(RabbitMqNotFoundException.class)
                .hasMessageContaining("scripts/rabbitmq-server.sh");
    }
}
