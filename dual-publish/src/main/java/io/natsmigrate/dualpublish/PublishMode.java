package io.natsmigrate.dualpublish;

/** Which paths a {@link DualPublisher} writes to. */
public enum PublishMode {
    /** Only the legacy path (before the migration, or after a rollback). */
    LEGACY_ONLY,
    /** Both paths: the overlap period. */
    DUAL,
    /** Only JetStream (after cutover). */
    JETSTREAM_ONLY
}
