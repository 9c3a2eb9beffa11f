package io.natsmigrate.cli;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;

/** An {@link SSLContext} from PEM files, as the {@code nats} CLI takes them ({@code --tlsca}, {@code --tlscert}). */
final class PemTls {

    private static final char[] NO_PASSWORD = new char[0];

    private PemTls() {
    }

    /** Trusts {@code ca} (the JVM's CAs when null); presents {@code cert} with {@code key} when given. */
    static SSLContext context(Path ca, Path cert, Path key) throws Exception {
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (ca != null) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate c : certificates(x509, ca)) {
                trust.setCertificateEntry("ca" + i++, c);
            }
            tmf.init(trust);
        } else {
            tmf.init((KeyStore) null);
        }
        KeyManagerFactory kmf = null;
        if (cert != null) {
            KeyStore keys = KeyStore.getInstance(KeyStore.getDefaultType());
            keys.load(null, null);
            keys.setKeyEntry("client", privateKey(key), NO_PASSWORD,
                    certificates(x509, cert).toArray(Certificate[]::new));
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, NO_PASSWORD);
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    private static Collection<? extends Certificate> certificates(CertificateFactory x509, Path pem)
            throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends Certificate> certs = x509.generateCertificates(in);
            if (certs.isEmpty()) {
                throw new IllegalArgumentException(pem + " holds no PEM certificate");
            }
            return certs;
        }
    }

    private static PrivateKey privateKey(Path pem) throws Exception {
        String text = Files.readString(pem);
        if (!text.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new IllegalArgumentException("--tlskey " + pem + ": expected a PKCS#8 key (BEGIN PRIVATE KEY);"
                    + " convert it with: openssl pkcs8 -topk8 -nocrypt -in " + pem + " -out key.pem");
        }
        String base64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(base64);
        for (String algorithm : new String[]{"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (java.security.spec.InvalidKeySpecException e) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("--tlskey " + pem + ": not an RSA, EC or Ed25519 private key");
    }
}
