package io.natsmigrate.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.nats.client.Connection;
import io.nats.client.Message;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Sends a {@link SnapshotSpool} to the JetStream restore API: a restore request with the stream's config and state
 * answers with a subject; each chunk is a request to it that the server answers once it has taken the chunk (the
 * flow control), and an empty request ends the restore, answered with the new stream's info. The end is only sent
 * when the bytes sent have the SHA-256 taken while the snapshot was received; otherwise the restore is abandoned.
 */
final class SnapshotRestore {

    private SnapshotRestore() {
    }

    static void send(Connection nc, String api, String stream, SnapshotSpool spool, int replicas, int chunkSize,
                     Duration idle, Duration finish, CopyProgress.Listener listener)
            throws IOException, InterruptedException {
        com.fasterxml.jackson.databind.node.ObjectNode request =
                (com.fasterxml.jackson.databind.node.ObjectNode) SnapshotSpool.JSON.readTree(spool.restoreRequest());
        ((com.fasterxml.jackson.databind.node.ObjectNode) request.get("config")).put("num_replicas", replicas);
        Message reply = nc.request(api + "STREAM.RESTORE." + stream, SnapshotSpool.JSON.writeValueAsBytes(request),
                idle);
        if (reply == null) {
            throw new IOException("no answer to the restore request within " + idle
                    + " (is JetStream enabled on the target?)");
        }
        String deliver = SnapshotSpool.apiResponse(reply, "restore").path("deliver_subject").asText();
        MessageDigest sha = SnapshotSpool.newDigest();
        long bytes = 0;
        long chunks = 0;
        try (InputStream in = Files.newInputStream(spool.file())) {
            byte[] buffer = new byte[chunkSize];
            int n;
            while ((n = in.readNBytes(buffer, 0, chunkSize)) > 0) {
                byte[] chunk = n == chunkSize ? buffer.clone() : java.util.Arrays.copyOf(buffer, n);
                sha.update(chunk);
                Message ack = nc.request(deliver, chunk, idle);
                if (ack == null) {
                    throw new IOException("the target took no chunk for " + idle + " after " + chunks + " chunks");
                }
                if (ack.getData() != null && ack.getData().length > 0) {
                    SnapshotSpool.apiResponse(ack, "restore chunk");
                }
                bytes += n;
                chunks++;
                listener.onProgress(new CopyProgress(stream, CopyProgress.Stage.RESTORE, bytes, spool.bytes(),
                        chunks));
            }
        }
        String sent = HexFormat.of().formatHex(sha.digest());
        if (bytes != spool.bytes() || !sent.equals(spool.sha256())) {
            throw new IOException("the spool file changed between snapshot and restore (" + bytes + " bytes with"
                    + " SHA-256 " + sent + ", received " + spool.bytes() + " bytes with " + spool.sha256() + ")");
        }
        Message done = nc.request(deliver, new byte[0], finish);
        if (done == null) {
            throw new IOException("the target did not finish the restore within " + finish);
        }
        JsonNode info = SnapshotSpool.apiResponse(done, "restore");
        if (info.path("config").isMissingNode()) {
            throw new IOException("the target's answer to the end of the restore has no stream: " + info);
        }
    }
}
