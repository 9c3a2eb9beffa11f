package io.natsmigrate.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * A stream's snapshot read from the JetStream API into a local file: the server sends the snapshot (a compressed
 * archive of the stream's store, with its consumers unless told not to) in chunks to a subject of ours and waits
 * for our ack of each before running too far ahead; the end is an empty message with status 204. The file's
 * SHA-256 is taken while it is written, so the restore can prove it sends what was received.
 *
 * @param file           the spool file
 * @param bytes          its size
 * @param chunks         chunks received
 * @param sha256         its SHA-256, hex
 * @param restoreRequest the body of the restore request: the stream's config and state at the snapshot
 * @param messages       messages in the snapshot
 * @param firstSequence  its first sequence
 * @param lastSequence   its last sequence
 * @param replicas       the source stream's replicas
 */
record SnapshotSpool(Path file, long bytes, long chunks, String sha256, byte[] restoreRequest, long messages,
                     long firstSequence, long lastSequence, int replicas) {

    static final ObjectMapper JSON = new ObjectMapper();

    /** Reads the snapshot of {@code stream} through the API at {@code api} ({@code $JS.API.} or a domain's). */
    static SnapshotSpool read(Connection nc, String api, String stream, boolean withConsumers, int chunkSize,
                              Duration idle, Path file, CopyProgress.Listener listener)
            throws IOException, InterruptedException {
        String inbox = nc.createInbox();
        Subscription sub = nc.subscribe(inbox);
        try {
            ObjectNode request = JSON.createObjectNode().put("deliver_subject", inbox)
                    .put("no_consumers", !withConsumers).put("chunk_size", chunkSize);
            Message reply = nc.request(api + "STREAM.SNAPSHOT." + stream, JSON.writeValueAsBytes(request), idle);
            if (reply == null) {
                throw new IOException("no answer to the snapshot request within " + idle
                        + " (is JetStream enabled on the source?)");
            }
            JsonNode response = apiResponse(reply, "snapshot");
            ObjectNode restore = JSON.createObjectNode();
            restore.set("config", response.path("config"));
            restore.set("state", response.path("state"));
            MessageDigest sha = newDigest();
            long bytes = 0;
            long chunks = 0;
            try (OutputStream out = Files.newOutputStream(file)) {
                while (true) {
                    Message m = sub.nextMessage(idle);
                    if (m == null) {
                        throw new IOException("the source sent no snapshot chunk for " + idle + " after " + chunks
                                + " chunks (" + bytes + " bytes): the source server may have restarted");
                    }
                    if (m.isStatusMessage() || m.getData() == null || m.getData().length == 0) {
                        if (m.isStatusMessage() && m.getStatus().getCode() != 204) {
                            throw new IOException("the source ended the snapshot with status "
                                    + m.getStatus().getCode() + " " + m.getStatus().getMessage());
                        }
                        break;
                    }
                    out.write(m.getData());
                    sha.update(m.getData());
                    bytes += m.getData().length;
                    chunks++;
                    if (m.getReplyTo() != null) {
                        nc.publish(m.getReplyTo(), null); // the ack that lets the server send further
                    }
                    listener.onProgress(new CopyProgress(stream, CopyProgress.Stage.SNAPSHOT, bytes, -1, chunks));
                }
            }
            JsonNode state = response.path("state");
            return new SnapshotSpool(file, bytes, chunks, HexFormat.of().formatHex(sha.digest()),
                    JSON.writeValueAsBytes(restore), state.path("messages").asLong(),
                    state.path("first_seq").asLong(), state.path("last_seq").asLong(),
                    Math.max(1, response.path("config").path("num_replicas").asInt(1)));
        } finally {
            sub.unsubscribe();
        }
    }

    /** The API response's JSON, or an exception naming the server's error and its code. */
    static JsonNode apiResponse(Message reply, String what) throws IOException {
        if (reply.isStatusMessage()) {
            throw new IOException("the " + what + " request got status " + reply.getStatus().getCode()
                    + " (" + reply.getStatus().getMessage() + "): is JetStream enabled there?");
        }
        JsonNode response = JSON.readTree(reply.getData());
        JsonNode error = response.get("error");
        if (error != null) {
            throw new IOException("the server refused the " + what + ": " + error.path("description").asText()
                    + " [" + error.path("err_code").asInt() + "]");
        }
        return response;
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
