package io.natsmigrate.spring;

import io.nats.client.Connection;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.natsmigrate.consumer.ConsumerRunner;
import io.natsmigrate.consumer.Outcome;
import io.natsmigrate.reliable.ReliablePublisher;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small service as an application developer writes it: a publisher and a consumer runner on the stream the plan
 * provisions, and no natsmigrate wiring beyond properties. The ledger is the test's own count.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class OrdersApplication {

    /** Order ids handled by the billing runner. */
    static final class Ledger {
        final Set<String> handled = ConcurrentHashMap.newKeySet();
    }

    @Bean
    Ledger ledger() {
        return new Ledger();
    }

    @Bean(destroyMethod = "close")
    ReliablePublisher ordersPublisher(Connection nc) {
        return ReliablePublisher.builder(nc).stream("ORDERS").build();
    }

    @Bean(destroyMethod = "close")
    ConsumerRunner billingRunner(Connection nc, Ledger ledger) {
        return ConsumerRunner.builder(nc, "ORDERS", ConsumerConfiguration.builder().durable("billing")
                        .ackPolicy(AckPolicy.Explicit).build())
                .handler(d -> {
                    ledger.handled.add(new String(d.message().getData()));
                    return Outcome.ack();
                }).build();
    }
}
