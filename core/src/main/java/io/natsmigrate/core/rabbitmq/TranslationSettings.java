package io.natsmigrate.core.rabbitmq;

import io.natsmigrate.core.Steps;

import java.time.Duration;

/** The options of one translation, with the per-vhost defaults resolved by {@link RabbitMqRecipe#build()}. */
record TranslationSettings(String vhost, String subjectPrefix, String ingestStream, String streamPrefix,
                           String dlqStream, String dlqPrefix, Duration ingestMaxAge, Steps.Action decommission) {
}
