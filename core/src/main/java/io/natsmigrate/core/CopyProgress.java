package io.natsmigrate.core;

/**
 * Where a {@link StreamCopy} is: reported after every chunk.
 *
 * @param stream        the stream
 * @param stage         snapshot (reading from the source) or restore (writing to the target)
 * @param bytes         bytes done in this stage
 * @param expectedBytes bytes the stage will move when known (the snapshot's size during restore), else -1
 * @param chunks        chunks done in this stage
 */
public record CopyProgress(String stream, Stage stage, long bytes, long expectedBytes, long chunks) {

    /** The stages of a copy. */
    public enum Stage {
        /** Checking both sides before anything moves. */
        CHECK("checking source and target"),
        /** Reading the source's snapshot into the spool file. */
        SNAPSHOT("reading the snapshot from the source"),
        /** Sending the spool file to the target. */
        RESTORE("restoring on the target"),
        /** Comparing the restored stream with the snapshot. */
        VERIFY("verifying the restored stream");

        private final String doing;

        Stage(String doing) {
            this.doing = doing;
        }

        /** The stage as a phrase for messages. */
        public String doing() {
            return doing;
        }
    }

    /** Receives progress; must be quick (it runs on the copying thread). Throwing from it cancels the copy. */
    @FunctionalInterface
    public interface Listener {
        void onProgress(CopyProgress progress);
    }
}
