package io.natsmigrate.core.rabbitmq;

import java.util.List;

/**
 * Where a queue's dead letters go: RabbitMQ's {@code x-dead-letter-exchange} as JetStream wiring. Run a
 * consumer-patterns {@code DeadLetterQueue} watching {@code stream}/{@code consumer} with the migration's DLQ
 * stream and prefix; messages the application rejects (AMQP {@code basic.reject} without requeue becomes
 * {@code term()}) or that reach the consumer's max deliveries land on {@code dlqSubject}, and the streams of the
 * queues bound to the dead-letter exchange source that subject.
 *
 * @param queue      the RabbitMQ queue
 * @param stream     its stream
 * @param consumer   its durable consumer
 * @param dlqSubject the subject the DLQ stores its dead letters on
 * @param targets    the queues (by name) that receive them, as the dead-letter exchange would route them
 */
public record DeadLetterRoute(String queue, String stream, String consumer, String dlqSubject, List<String> targets) {

    public DeadLetterRoute {
        targets = List.copyOf(targets);
    }
}
