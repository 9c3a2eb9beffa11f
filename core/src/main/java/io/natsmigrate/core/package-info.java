/**
 * MigrationPlan engine and shared primitives (subject and name validation, error classification, server feature detection). Filled by the MigrationPlan issue.
 */
package io.natsmigrate.core;
