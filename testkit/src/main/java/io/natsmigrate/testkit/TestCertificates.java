package io.natsmigrate.testkit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away certificate authority and a server certificate for {@code 127.0.0.1} and {@code localhost}, made
 * when a test runs (nothing is checked in): the JDK's {@code keytool} generates the keys and signs the server
 * certificate, and the PEM files nats-server reads are written from the keystores. Valid for two days; every
 * call makes new keys.
 *
 * <pre>{@code
 * try (TestCertificates certs = TestCertificates.generate();
 *      NatsServer server = NatsServer.builder().tls(certs).start();
 *      Connection nc = server.connect()) {        // tls://, trusting the test CA
 *     ...
 * }
 * }</pre>
 */
public final class TestCertificates implements AutoCloseable {

    private static final char[] PASSWORD = "natsmigrate".toCharArray();

    private final Path dir;
    private final Certificate ca;

    private TestCertificates(Path dir, Certificate ca) {
        this.dir = dir;
        this.ca = ca;
    }

    /**
     * Generates a CA and a server certificate signed by it, with EC P-256 keys.
     *
     * @throws IllegalStateException naming the keytool command that failed and its output
     */
    public static TestCertificates generate() {
        try {
            Path dir = Files.createTempDirectory("natsmigrate-tls-");
            String pass = new String(PASSWORD);
            keytool(dir, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                    "CN=natsmigrate test CA", "-ext", "bc:c", "-validity", "2", "-keystore", "ca.p12",
                    "-storetype", "PKCS12", "-storepass", pass, "-keypass", pass);
            keytool(dir, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                    "CN=localhost", "-validity", "2", "-keystore", "server.p12", "-storetype", "PKCS12",
                    "-storepass", pass, "-keypass", pass);
            keytool(dir, "-certreq", "-alias", "server", "-keystore", "server.p12", "-storepass", pass, "-file",
                    "server.csr");
            keytool(dir, "-gencert", "-alias", "ca", "-keystore", "ca.p12", "-storepass", pass, "-infile",
                    "server.csr", "-outfile", "server.pem", "-rfc", "-validity", "2",
                    "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-ext", "KU=digitalSignature,keyEncipherment",
                    "-ext", "EKU=serverAuth");
            keytool(dir, "-exportcert", "-alias", "ca", "-keystore", "ca.p12", "-storepass", pass, "-rfc", "-file",
                    "ca.pem");
            KeyStore server = load(dir.resolve("server.p12"));
            Key key = server.getKey("server", PASSWORD);
            Files.writeString(dir.resolve("server-key.pem"), pem("PRIVATE KEY", key.getEncoded()));
            Certificate ca = load(dir.resolve("ca.p12")).getCertificate("ca");
            return new TestCertificates(dir, ca);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the test certificates", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not read the generated test keys", e);
        }
    }

    /** The CA certificate (PEM), for {@code ca_file}. */
    public Path caFile() {
        return dir.resolve("ca.pem");
    }

    /** The server certificate signed by the CA (PEM), for {@code cert_file}. */
    public Path certFile() {
        return dir.resolve("server.pem");
    }

    /** The server's private key (PKCS#8 PEM), for {@code key_file}. */
    public Path keyFile() {
        return dir.resolve("server-key.pem");
    }

    /** A client TLS context that trusts the test CA only. */
    public SSLContext clientContext() {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("natsmigrate-test-ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Could not build a TLS context for the test CA", e);
        }
    }

    /** Deletes the files. */
    @Override
    public void close() {
        ProcessControl.deleteRecursively(dir);
    }

    private static void keytool(Path dir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("keytool " + args[0] + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running keytool " + args[0], e);
        }
    }

    private static KeyStore load(Path file) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, PASSWORD);
        }
        return ks;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
