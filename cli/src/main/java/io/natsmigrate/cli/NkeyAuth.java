package io.natsmigrate.cli;

import io.nats.client.AuthHandler;
import io.nats.client.NKey;

import java.io.IOException;
import java.security.GeneralSecurityException;

/** Authentication with a bare nkey seed ({@code nats --nkey}): the public key, and the nonce signed with the seed. */
final class NkeyAuth implements AuthHandler {

    private final NKey key;

    NkeyAuth(char[] seed) {
        try {
            this.key = NKey.fromSeed(seed);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--nkey: the file does not hold an nkey seed (a line starting SU...)");
        }
    }

    @Override
    public byte[] sign(byte[] nonce) {
        try {
            return key.sign(nonce);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Cannot sign with the nkey: " + e.getMessage(), e);
        }
    }

    @Override
    public char[] getID() {
        try {
            return key.getPublicKey();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Cannot read the nkey's public key: " + e.getMessage(), e);
        }
    }

    @Override
    public char[] getJWT() {
        return null;
    }
}
