package io.natsmigrate.dualpublish;

import io.nats.client.api.PublishAck;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What one {@link DualPublisher#publish} did.
 *
 * @param msgId the Msg-Id used on both legs
 * @param mode the mode it was published in
 * @param jetStream the JetStream leg's outcome; null when no JetStream publish was made (legacy only, or the
 *                  same-subject Core publish that the stream stores unacknowledged)
 */
public record DualPublishResult(String msgId, PublishMode mode, CompletableFuture<PublishAck> jetStream) {

    /** The JetStream leg's outcome, if there is one. */
    public Optional<CompletableFuture<PublishAck>> jetStreamAck() {
        return Optional.ofNullable(jetStream);
    }
}
