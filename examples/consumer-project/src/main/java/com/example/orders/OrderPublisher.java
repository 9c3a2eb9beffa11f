package com.example.orders;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.reliable.ReliablePublisher;

import java.nio.charset.StandardCharsets;

/** An application's publisher: every order goes to JetStream exactly once, retried through server restarts. */
public final class OrderPublisher implements AutoCloseable {

    private final ReliablePublisher publisher;

    public OrderPublisher(Connection nc) {
        this.publisher = ReliablePublisher.builder(nc).build();
    }

    /** Creates the ORDERS stream if it is not there. */
    public static void provision(Connection nc) throws Exception {
        if (!nc.jetStreamManagement().getStreamNames().contains("ORDERS")) {
            nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("ORDERS").subjects("orders.>")
                    .build());
        }
    }

    /** Publishes one order and returns the stream sequence it got. */
    public long publish(String orderId) throws Exception {
        PublishAck ack = publisher.publish("orders.created", orderId.getBytes(StandardCharsets.UTF_8));
        return ack.getSeqno();
    }

    @Override
    public void close() throws Exception {
        publisher.close();
    }

    /** {@code java com.example.orders.OrderPublisher nats://host:4222 100} publishes 100 orders. */
    public static void main(String[] args) throws Exception {
        try (Connection nc = Nats.connect(args.length > 0 ? args[0] : "nats://127.0.0.1:4222");
             OrderPublisher orders = new OrderPublisher(nc)) {
            provision(nc);
            int n = args.length > 1 ? Integer.parseInt(args[1]) : 10;
            for (int i = 0; i < n; i++) {
                orders.publish("order-" + i);
            }
            System.out.println("published " + n + " orders");
        }
    }
}
