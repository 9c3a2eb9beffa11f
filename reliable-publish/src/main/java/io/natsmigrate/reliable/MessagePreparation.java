package io.natsmigrate.reliable;

import io.nats.client.Connection;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.natsmigrate.primitives.ServerFeature;
import io.natsmigrate.primitives.Subjects;

import static io.nats.client.support.NatsJetStreamConstants.EXPECTED_STREAM_HDR;

/**
 * Turns what a caller publishes into the one message every attempt sends: the subject checked, the caller's
 * headers copied, the {@code Nats-Msg-Id} chosen once (the caller's own wins), the expected stream and the
 * expectation added, the size checked against the server's {@code max_payload}. Argument errors are thrown here,
 * before anything is sent.
 */
final class MessagePreparation {

    /** The message to send on every attempt, with its Msg-Id and size (payload plus headers). */
    record Prepared(String subject, String msgId, NatsMessage message, long size) {
    }

    private final Connection nc;
    private final MsgIdStrategy msgIds;
    private final String expectedStream;

    MessagePreparation(Connection nc, MsgIdStrategy msgIds, String expectedStream) {
        this.nc = nc;
        this.msgIds = msgIds;
        this.expectedStream = expectedStream;
    }

    /**
     * @throws io.natsmigrate.primitives.InvalidSubjectException for a null, empty, malformed or wildcard subject
     * @throws IllegalArgumentException when the Msg-Id strategy gives no id
     * @throws PayloadTooLargeException when the message exceeds the server's {@code max_payload}
     * @throws io.natsmigrate.primitives.ServerTooOldException for an expectation the server cannot check
     */
    Prepared prepare(String subject, Headers headers, byte[] data, Expectation expectation) {
        Subjects.requirePublishSubject(subject);
        byte[] body = data == null ? new byte[0] : data;
        if (expectation.usesSubjectFilter()) {
            ServerFeature.EXPECTED_LAST_SUBJECT_SEQUENCE_SUBJECT.requireSupportedBy(nc);
        }
        Headers h = headers == null ? new Headers() : new Headers(headers);
        String msgId = msgIds.assignTo(subject, h, body);
        if (expectedStream != null) {
            h.put(EXPECTED_STREAM_HDR, expectedStream);
        }
        expectation.applyTo(h);
        long size = body.length + h.serializedLength();
        if (size > nc.getMaxPayload()) {
            throw new PayloadTooLargeException(subject, msgId, size, nc.getMaxPayload(), "server's max_payload", 0);
        }
        return new Prepared(subject, msgId, NatsMessage.builder().subject(subject).headers(h).data(body).build(), size);
    }
}
