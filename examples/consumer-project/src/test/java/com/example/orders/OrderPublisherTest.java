package com.example.orders;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.natsmigrate.testkit.NatsServer;
import io.natsmigrate.testkit.NatsTest;
import org.junit.jupiter.api.Test;

import static io.natsmigrate.testkit.NatsAssertions.assertThatStream;
import static org.assertj.core.api.Assertions.assertThat;

/** The published artifacts used as an application would: the testkit starts a real nats-server. */
@NatsTest
class OrderPublisherTest {

    @Test
    void everyOrderIsStoredOnceAcrossARestart(NatsServer server, Connection nc, JetStreamManagement jsm)
            throws Exception {
        OrderPublisher.provision(nc);
        try (OrderPublisher orders = new OrderPublisher(nc)) {
            for (int i = 0; i < 50; i++) {
                orders.publish("order-" + i);
            }
            server.restart();
            for (int i = 50; i < 100; i++) {
                orders.publish("order-" + i);
            }
        }
        assertThatStream(jsm, "ORDERS").hasMessages(100);
        assertThat(jsm.getStreamInfo("ORDERS").getStreamState().getLastSequence()).isEqualTo(100);
    }
}
