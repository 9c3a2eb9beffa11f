package io.natsmigrate.dualpublish;

/**
 * What dual mode does when the JetStream stream listens to the legacy NATS subject itself (same system). A
 * JetStream publish on subject X is a request on X, so Core subscribers of X receive it; a Core publish on X is
 * stored by the stream. Publishing "to both" would store twice and deliver twice, so one publish serves both.
 */
public enum SameSubjectStrategy {
    /**
     * One JetStream publish (through the reliable publisher): stored once and confirmed by an ack, delivered once
     * to Core subscribers (with a reply subject {@code _INBOX...}, which plain subscribers ignore). The default.
     * Request/reply responders on the subject see it as a request and may answer the ack inbox: use
     * {@link #CORE_PUBLISH_WITH_MSG_ID} for subjects that have responders.
     */
    JETSTREAM_PUBLISH,
    /**
     * One Core publish with {@code Nats-Msg-Id} and no reply subject: stored once by the stream (no ack, so it is
     * not confirmed; check it with the parity verifier), delivered once, and responders see an ordinary message.
     */
    CORE_PUBLISH_WITH_MSG_ID
}
