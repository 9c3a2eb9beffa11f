/**
 * The {@code natsmigrate} command line ({@link io.natsmigrate.cli.NatsMigrate}): plan files applied, rolled back,
 * dry-run, validated and watched; recorded plans' status and history; stuck locks released; RabbitMQ definitions
 * translated. Connection options follow the {@code nats} CLI. Exit codes: 0 ok, 1 failure, 2 usage.
 */
package io.natsmigrate.cli;
