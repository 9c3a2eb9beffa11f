package io.natsmigrate.reliable;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamStatusException;
import io.nats.client.Message;
import io.nats.client.support.NatsRequestCompletableFuture;
import io.natsmigrate.primitives.JetStreamErrorCodes;
import io.natsmigrate.primitives.PermissionViolation;
import io.natsmigrate.primitives.PermissionViolations;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * The one place where a failed publish attempt is classified: by JetStream API error codes, reply status codes
 * and the state of jnats's request future (as jnats's own {@code RequestFailureMessage} does), never by message
 * text. Used by {@link ReliablePublisher} and {@link AtomicBatch}.
 */
final class PublishErrors {

    private PublishErrors() {
    }

    /** What to do with an attempt that ended in an API error: retry for {@code retry}, or fail with {@code failure}. */
    record Verdict(FailureReason retry, ReliablePublishException failure) {
        static Verdict retry(FailureReason reason) {
            return new Verdict(reason, null);
        }

        static Verdict fail(ReliablePublishException e) {
            return new Verdict(null, e);
        }
    }

    /** A status reply instead of an ack: 503 is "no responders", anything else "unavailable". */
    static FailureReason fromStatus(Message reply) {
        return reply != null && reply.getStatus() != null && reply.getStatus().getCode() == 503
                ? FailureReason.NO_RESPONDERS : FailureReason.UNAVAILABLE;
    }

    /** A request future that completed exceptionally. */
    static FailureReason fromFuture(Connection nc, CompletableFuture<Message> future, Throwable cause) {
        if (cause instanceof JetStreamStatusException s && s.getStatus() != null && s.getStatus().getCode() == 503) {
            return FailureReason.NO_RESPONDERS;
        }
        Connection.Status status = nc.getStatus();
        boolean closing = future instanceof NatsRequestCompletableFuture f && f.wasCancelledClosing();
        if (closing || status == Connection.Status.RECONNECTING || status == Connection.Status.DISCONNECTED) {
            return FailureReason.CONNECTION;
        }
        if (cause instanceof CancellationException
                && !(future instanceof NatsRequestCompletableFuture f && f.wasCancelledTimedOut())) {
            return FailureReason.NO_RESPONDERS; // jnats cancels a request future on a 503 status reply
        }
        return FailureReason.TIMEOUT;
    }

    /**
     * An API error in a publish ack: the transient ones (10158, 429, 503, and the codes the policy adds) are
     * retried, expectation failures and size limits fail typed, anything else fails as rejected.
     */
    static Verdict fromApiError(JetStreamApiException e, RetryPolicy policy, String subject, String msgId,
                                int attempts, long size) {
        int api = e.getApiErrorCode();
        int code = e.getErrorCode();
        if (api == JetStreamErrorCodes.DUPLICATE_MSG_ID_IN_PROCESS) {
            return Verdict.retry(FailureReason.DUPLICATE_IN_PROCESS);
        }
        if (code == 429) {
            return Verdict.retry(FailureReason.RATE_LIMITED);
        }
        if (code == 503) {
            return Verdict.retry(FailureReason.UNAVAILABLE);
        }
        if (policy.retriesApiError(api)) {
            return Verdict.retry(FailureReason.API_ERROR);
        }
        ExpectationFailedException.Kind kind = expectationKind(api);
        if (kind != null) {
            return Verdict.fail(new ExpectationFailedException(kind, api, e.getErrorDescription(), subject, msgId,
                    attempts));
        }
        if (api == JetStreamErrorCodes.MESSAGE_TOO_LARGE) {
            return Verdict.fail(new PayloadTooLargeException(subject, msgId, size, -1, "stream's max_msg_size",
                    attempts));
        }
        return Verdict.fail(new PublishRejectedException(subject, msgId, attempts, code, api,
                e.getErrorDescription()));
    }

    /** The expectation an API error code reports as failed, or null. */
    static ExpectationFailedException.Kind expectationKind(int api) {
        if (JetStreamErrorCodes.isWrongLastSequence(api)) {
            return ExpectationFailedException.Kind.WRONG_LAST_SEQUENCE;
        }
        if (api == JetStreamErrorCodes.WRONG_LAST_MSG_ID) {
            return ExpectationFailedException.Kind.WRONG_LAST_MSG_ID;
        }
        if (api == JetStreamErrorCodes.WRONG_EXPECTED_STREAM) {
            return ExpectationFailedException.Kind.WRONG_STREAM;
        }
        return null;
    }

    /**
     * Why a timed-out attempt is never answered, if the server said so: the user may not publish to the subject, or
     * may not subscribe to the connection's inbox (the acks' subject). The server reports either only as a protocol
     * {@code -ERR}: every one is seen with {@link PermissionViolations#recording()} as the connection's error
     * listener, else the last one from jnats's last error.
     */
    static java.util.Optional<PermissionViolation> permissionViolation(Connection nc, String subject) {
        String inbox = nc.getOptions().getInboxPrefix();
        return PermissionViolations.known(nc).stream().filter(v -> v.kind() == PermissionViolation.Kind.PUBLISH
                ? v.subject().equals(subject) : v.subject().startsWith(inbox)).findFirst();
    }
}
