/**
 * natsmigrate core: shared primitives used by every module (subject validation and matching, server feature
 * detection, JetStream error codes). The MigrationPlan engine arrives with its own issue.
 */
package io.natsmigrate.core;
