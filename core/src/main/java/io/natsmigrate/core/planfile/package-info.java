/**
 * Declarative plans: a {@link io.natsmigrate.core.MigrationPlan} read from or written to a YAML or JSON plan file
 * ({@link io.natsmigrate.core.planfile.PlanFile}). The format is described by {@code docs/plan-file.schema.json} and
 * {@code docs/plan-files.md}; stream and consumer settings are the server's own JSON (what
 * {@code nats stream info --json} prints under {@code config}).
 */
package io.natsmigrate.core.planfile;
