package io.natsmigrate.primitives;

/** The connected nats-server lacks a feature the caller needs. The message names the version needed and found. */
public class ServerTooOldException extends IllegalStateException {

    private final ServerFeature feature;
    private final String serverVersion;

    public ServerTooOldException(ServerFeature feature, String serverVersion) {
        super(feature.description() + " needs nats-server " + feature.minimumVersion() + " or newer, but the server"
                + " is " + serverVersion + ". Upgrade the server (or connect to one that is new enough).");
        this.feature = feature;
        this.serverVersion = serverVersion;
    }

    /** The missing feature. */
    public ServerFeature feature() {
        return feature;
    }

    /** The version the server reported. */
    public String serverVersion() {
        return serverVersion;
    }
}
