package io.natsmigrate.core;

/** Whether a step can be rolled back. */
public enum Reversibility {
    /** Rollback undoes it. */
    REVERSIBLE,
    /** It cannot be undone (e.g. deleting legacy resources); applying it needs explicit confirmation. */
    IRREVERSIBLE
}
