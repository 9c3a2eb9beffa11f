package io.natsmigrate.reliable;

/** Why one publish attempt failed in a way that a retry can fix. */
public enum FailureReason {
    /** No ack within the attempt timeout (lost request or lost ack). */
    TIMEOUT,
    /** 503 no responders: the stream's server is unavailable (restarting, electing a leader). */
    NO_RESPONDERS,
    /** The connection was lost or is reconnecting. */
    CONNECTION,
    /** 10158: a message with this Msg-Id is being processed right now. */
    DUPLICATE_IN_PROCESS,
    /** 429: the server asked clients to slow down. */
    RATE_LIMITED,
    /** A JetStream API 503 (e.g. JetStream temporarily unavailable). */
    UNAVAILABLE,
    /** An API error the retry policy was told to retry ({@link RetryPolicy.Builder#retryOnApiErrors(int...)}). */
    API_ERROR
}
