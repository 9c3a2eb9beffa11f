package io.natsmigrate.consumer;

/** Application code run by a {@link ConsumerRunner} for each message. An exception counts as a nak. */
@FunctionalInterface
public interface MessageHandler {

    Outcome handle(Delivery delivery) throws Exception;
}
