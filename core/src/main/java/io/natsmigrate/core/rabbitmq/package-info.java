/**
 * RabbitMQ to JetStream: {@link io.natsmigrate.core.rabbitmq.RabbitDefinitions} reads a management-plugin
 * definitions export, {@link io.natsmigrate.core.rabbitmq.RabbitMqRecipe} translates one vhost into a plan,
 * {@link io.natsmigrate.core.rabbitmq.AmqpSubjects} maps routing keys and binding patterns to subjects and
 * filters, and {@link io.natsmigrate.core.rabbitmq.TranslationReport} lists what could not be translated.
 */
package io.natsmigrate.core.rabbitmq;
