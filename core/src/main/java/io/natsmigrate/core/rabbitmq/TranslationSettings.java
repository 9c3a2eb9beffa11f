package io.natsmigrate.core.rabbitmq;

import io.natsmigrate.core.Steps;

import java.time.Duration;
import java.util.Set;

/** The options of one translation, with the per-vhost defaults resolved by {@link RabbitMqRecipe#build()}. */
record TranslationSettings(String planName, String vhost, String subjectPrefix, String ingestStream, String streamPrefix,
                           String dlqStream, String dlqPrefix, Duration ingestMaxAge, Steps.Action decommission,
                           Set<String> delayQueues, int replicas, boolean durableSources,
                           Duration maxMessageDelay) {

    /** The delay stream's subject root: outside the ingest stream's subjects, and its own per prefix. */
    String delayPrefix() {
        return "natsmigrate_delay." + subjectPrefix;
    }

    /** The delay stream's name. */
    String delayStream() {
        return ingestStream + "_DELAY";
    }
}
