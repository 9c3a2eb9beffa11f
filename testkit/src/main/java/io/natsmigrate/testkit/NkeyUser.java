package io.natsmigrate.testkit;

import io.nats.client.AuthHandler;
import io.nats.client.NKey;
import io.nats.client.Nats;

import java.io.IOException;
import java.security.GeneralSecurityException;

/**
 * A user that signs in with an nkey, made for a test: give the server its public key
 * ({@link Account.Builder#nkeyUser(NkeyUser)}) and connect with {@link NatsServer#connect(NkeyUser)}.
 */
public final class NkeyUser {

    private final NKey key;
    private final String publicKey;

    private NkeyUser(NKey key, String publicKey) {
        this.key = key;
        this.publicKey = publicKey;
    }

    /** A new user key pair. */
    public static NkeyUser create() {
        try {
            NKey key = NKey.createUser(null);
            return new NkeyUser(key, new String(key.getPublicKey()));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Could not create an nkey", e);
        }
    }

    /** The public key ({@code U...}) the server lists. */
    public String publicKey() {
        return publicKey;
    }

    /** What a client signs in with: the public key and the seed. */
    public AuthHandler authHandler() {
        return Nats.staticCredentials(publicKey.toCharArray(), key.getSeed());
    }
}
