/**
 * natsmigrate core: the {@link io.natsmigrate.core.MigrationPlan} engine (plans of phases and idempotent steps,
 * drift detection, dry run, KV-recorded state with compare-and-set, lease lock, resumable apply, rollback, gates,
 * status, preflight, {@link io.natsmigrate.core.PlanPhaseWatch}), the
 * {@link io.natsmigrate.core.CoreToJetStreamRecipe}, and primitives shared by every module (subject validation
 * and matching, server feature detection, JetStream error codes).
 */
package io.natsmigrate.core;
