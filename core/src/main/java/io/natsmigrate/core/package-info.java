/**
 * natsmigrate core: the {@link io.natsmigrate.core.MigrationPlan} engine (plans of phases and idempotent steps,
 * drift detection, dry run, KV-recorded state with compare-and-set, lease lock, resumable apply, rollback, gates,
 * status, preflight, {@link io.natsmigrate.core.PlanPhaseWatch}), the recipes
 * {@link io.natsmigrate.core.CoreToJetStreamRecipe} and {@link io.natsmigrate.core.CrossSystemRecipe} (the RabbitMQ
 * import is in {@code io.natsmigrate.core.rabbitmq}), and primitives shared by every module (subject validation
 * and matching, server feature detection, JetStream error codes).
 */
package io.natsmigrate.core;
