package io.natsmigrate.core.rabbitmq;

import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.nats.client.support.NatsJetStreamConstants;
import io.nats.client.NUID;
import io.natsmigrate.primitives.Durations;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * The translated delayed-message exchanges and how a message is published to one with a delay: as a message
 * schedule on the delay stream that fires onto the exchange's subject.
 */
final class DelayedExchanges {

    private final Set<String> exchanges;
    private final String delayPrefix;
    private final String subjectPrefix;
    private final Duration maxDelay;

    DelayedExchanges(Set<String> exchanges, String delayPrefix, String subjectPrefix, Duration maxDelay) {
        this.exchanges = Set.copyOf(exchanges);
        this.delayPrefix = delayPrefix;
        this.subjectPrefix = subjectPrefix;
        this.maxDelay = maxDelay;
    }

    Set<String> names() {
        return exchanges;
    }

    Message delayed(String exchange, String routingKey, byte[] data, Duration delay, Headers headers) {
        Objects.requireNonNull(exchange, "exchange");
        Objects.requireNonNull(routingKey, "routingKey");
        Durations.requirePositive("delay", delay);
        if (!exchanges.contains(exchange)) {
            throw new DefinitionsException("Exchange \"" + exchange + "\" is not a translated delayed-message"
                    + " exchange (those are " + exchanges.stream().sorted().toList() + "): publish to subject("
                    + "exchange, key) without a delay, or check the report for why it was left out");
        }
        if (delay.compareTo(maxDelay) > 0) {
            throw new IllegalArgumentException("A delay of " + delay + " is longer than maxMessageDelay " + maxDelay
                    + ", how long the delay stream keeps a schedule: raise RabbitMqRecipe.maxMessageDelay(...) and"
                    + " apply the plan again");
        }
        String target = AmqpSubjects.subject(subjectPrefix, exchange, routingKey);
        String msgId = headers == null ? null : headers.getFirst(NatsJetStreamConstants.MSG_ID_HDR);
        // One schedule per subject: each delayed message gets a subject of its own.
        String scheduleSubject = delayPrefix + ".msg." + AmqpSubjects.word(exchange) + "." + NUID.nextGlobal();
        return Schedules.schedule(scheduleSubject, DelayStream.firedSubject(delayPrefix, subjectPrefix, target),
                Instant.now().plus(delay), headers, data == null ? new byte[0] : data, msgId);
    }
}
