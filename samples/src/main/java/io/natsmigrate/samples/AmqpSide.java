package io.natsmigrate.samples;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The RabbitMQ sample's legacy side, with the real AMQP client: a publisher with publisher confirms, workers with
 * manual acks, and exact queue depths (a passive declare).
 */
final class AmqpSide implements AutoCloseable {

    /** What a worker does with one message: ack it, or reject it without requeue (dead-lettered by the broker). */
    enum Verdict { ACK, REJECT }

    /** A worker's logic, given the message's id (the AMQP message-id) and its body. */
    @FunctionalInterface
    interface Worker {
        Verdict handle(String messageId, String body) throws Exception;
    }

    private final Connection amqp;
    private final Channel publishing;
    private final Channel inspecting;
    private final List<Channel> consuming = new ArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();

    AmqpSide(String uri) throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setUri(uri);
        amqp = f.newConnection("natsmigrate-sample");
        publishing = amqp.createChannel();
        publishing.confirmSelect();
        inspecting = amqp.createChannel();
    }

    /** Publishes persistently and waits for the broker's confirm, as a careful AMQP publisher does. */
    synchronized void publish(String exchange, String routingKey, String messageId, byte[] body)
            throws IOException, InterruptedException, TimeoutException {
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().messageId(messageId).deliveryMode(2)
                .headers(Map.of("Task-Id", messageId)).build();
        publishing.basicPublish(exchange, routingKey, true, props, body);
        publishing.waitForConfirmsOrDie(10_000);
    }

    /** Starts a worker on {@code queue} (prefetch 10, manual acks) on a channel of its own. */
    void consume(String queue, Worker worker) throws IOException {
        Channel ch = amqp.createChannel();
        ch.basicQos(10);
        consuming.add(ch);
        ch.basicConsume(queue, false, (tag, d) -> {
            inFlight.incrementAndGet();
            try {
                Verdict v = worker.handle(d.getProperties().getMessageId(), new String(d.getBody(),
                        java.nio.charset.StandardCharsets.UTF_8));
                if (v == Verdict.ACK) {
                    ch.basicAck(d.getEnvelope().getDeliveryTag(), false);
                } else {
                    ch.basicReject(d.getEnvelope().getDeliveryTag(), false);
                }
            } catch (Exception e) {
                // Requeued: the broker delivers it again, as it would to a crashed worker.
                ch.basicNack(d.getEnvelope().getDeliveryTag(), false, true);
            } finally {
                inFlight.decrementAndGet();
            }
        }, tag -> { });
    }

    /** Ready messages in {@code queue}, exactly (the management API's figures lag by seconds). */
    synchronized long depth(String queue) throws IOException {
        return inspecting.queueDeclarePassive(queue).getMessageCount();
    }

    /** Whether every queue is empty and no worker holds a message: the AMQP side has drained. */
    boolean drained(String... queues) throws IOException {
        if (inFlight.get() > 0) {
            return false;
        }
        for (String q : queues) {
            if (depth(q) > 0) {
                return false;
            }
        }
        return inFlight.get() == 0;
    }

    /** Stops the workers; anything they had not acked goes back to its queue. */
    void stopWorkers() throws IOException, TimeoutException {
        for (Channel ch : consuming) {
            ch.close();
        }
        consuming.clear();
    }

    /** Deletes the queues: the decommissioning of the AMQP side. */
    synchronized void deleteQueues(String... queues) throws IOException {
        for (String q : queues) {
            inspecting.queueDelete(q);
        }
    }

    @Override
    public void close() throws IOException {
        amqp.close();
    }
}
