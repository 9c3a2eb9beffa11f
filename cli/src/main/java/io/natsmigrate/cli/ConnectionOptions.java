package io.natsmigrate.cli;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How to reach NATS, with the {@code nats} CLI's option names and its contexts: {@code --context NAME} reads
 * {@code ~/.config/nats/context/NAME.json} (or under {@code $XDG_CONFIG_HOME}); options given on the command line
 * win over the context. Without either, {@code $NATS_URL} or {@code nats://127.0.0.1:4222}.
 */
final class ConnectionOptions {

    @Option(names = {"-s", "--server"}, paramLabel = "URL", description = "NATS server URL(s), comma separated")
    String server;

    @Option(names = "--context", paramLabel = "NAME", description = "a nats CLI context to take the connection from")
    String context;

    @Option(names = "--creds", paramLabel = "FILE", description = "user credentials file (JWT and nkey seed)")
    Path creds;

    @Option(names = "--nkey", paramLabel = "FILE", description = "user nkey seed file")
    Path nkey;

    @Option(names = "--user", description = "user name")
    String user;

    @Option(names = "--password", description = "password")
    String password;

    @Option(names = "--tlscert", paramLabel = "FILE", description = "client certificate (PEM)")
    Path tlsCert;

    @Option(names = "--tlskey", paramLabel = "FILE", description = "client private key (PKCS#8 PEM)")
    Path tlsKey;

    @Option(names = "--tlsca", paramLabel = "FILE", description = "CA certificate(s) to trust (PEM)")
    Path tlsCa;

    @Option(names = "--tlsfirst", description = "TLS handshake before the server's INFO (server tls handshake_first)")
    boolean tlsFirst;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5s",
            description = "connect timeout (default: ${DEFAULT-VALUE})", converter = Durations.class)
    Duration timeout;

    /** Connects, failing with a message that names the server and what to check. */
    Connection connect() throws Exception {
        NatsContext ctx = context == null ? NatsContext.NONE : NatsContext.load(context);
        String url = first(server, ctx.url(), System.getenv("NATS_URL"), Options.DEFAULT_URL);
        Options.Builder b = Options.builder().server(url).connectionTimeout(timeout).maxReconnects(-1)
                .connectionName("natsmigrate-cli")
                .errorListener(new ErrorListener() { }); // failures reach the user as the command's own message
        Path credsFile = first(creds, ctx.creds());
        Path nkeyFile = first(nkey, ctx.nkey());
        if (credsFile != null) {
            b.authHandler(Nats.credentials(requireFile(credsFile, "--creds").toString()));
        } else if (nkeyFile != null) {
            b.authHandler(new NkeyAuth(Files.readString(requireFile(nkeyFile, "--nkey")).trim().toCharArray()));
        }
        String u = first(user, ctx.user());
        if (u != null) {
            b.userInfo(u, first(password, ctx.password(), ""));
        }
        Path ca = first(tlsCa, ctx.ca());
        Path cert = first(tlsCert, ctx.cert());
        Path key = first(tlsKey, ctx.key());
        if (ca != null || cert != null) {
            if ((cert == null) != (key == null)) {
                throw new IllegalArgumentException("--tlscert and --tlskey go together: give both, or neither");
            }
            b.sslContext(PemTls.context(ca == null ? null : requireFile(ca, "--tlsca"),
                    cert == null ? null : requireFile(cert, "--tlscert"),
                    key == null ? null : requireFile(key, "--tlskey")));
        }
        if (tlsFirst) {
            b.tlsFirst();
        }
        try {
            return Nats.connect(b.build());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot connect to " + url + ": " + e.getMessage() + "; check the URL"
                    + " (--server, --context or $NATS_URL) and that the server runs", e);
        }
    }

    private static Path requireFile(Path file, String option) {
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException(option + " " + file + ": no such readable file");
        }
        return file;
    }

    @SafeVarargs
    private static <T> T first(T... values) {
        for (T v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
