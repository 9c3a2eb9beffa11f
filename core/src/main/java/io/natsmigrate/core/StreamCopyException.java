package io.natsmigrate.core;

/**
 * A stream copy by snapshot and restore failed. The source stream is never changed by a copy; {@link #targetClean()}
 * says whether the target was left without the stream (it is removed when a restore fails half way).
 */
public class StreamCopyException extends MigrationException {

    private final String stream;
    private final CopyProgress.Stage stage;
    private final boolean targetClean;

    public StreamCopyException(String stream, CopyProgress.Stage stage, boolean targetClean, String message,
                               Throwable cause) {
        super("Copy of stream " + stream + " failed while " + stage.doing() + ": " + message
                + (targetClean || stage == CopyProgress.Stage.CHECK ? "" : ". The target may hold a partial copy of "
                + stream + ": delete it there before copying again"), cause);
        this.stream = stream;
        this.stage = stage;
        this.targetClean = targetClean;
    }

    /** The stream being copied. */
    public String stream() {
        return stream;
    }

    /** Where the copy was when it failed. */
    public CopyProgress.Stage stage() {
        return stage;
    }

    /** True when the target holds no part of the stream (nothing to clean up by hand). */
    public boolean targetClean() {
        return targetClean;
    }
}
