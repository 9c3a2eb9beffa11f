package io.natsmigrate.bench;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.natsmigrate.testkit.NatsServer;
import io.natsmigrate.testkit.NatsServerBinary;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Time from launch until the server answers its first JetStream API request: the testkit's
 * {@code NatsServer.start()} against launching the raw binary and polling it, {@value #RUNS} runs each, medians.
 */
final class ServerStartBenchmark {

    static final int RUNS = 10;
    private static final int WARMUP = 2;

    BenchResult run() throws Exception {
        NatsServerBinary binary = NatsServerBinary.find();
        for (int i = 0; i < WARMUP; i++) {
            testkitStart();
            rawStart(binary);
        }
        double[] ours = new double[RUNS];
        double[] raw = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            ours[i] = testkitStart();
            raw[i] = rawStart(binary);
        }
        return new BenchResult("testkit-server-start-to-first-js-answer", Stats.median(ours), Stats.median(raw), "ms");
    }

    private static double testkitStart() throws Exception {
        long t0 = System.nanoTime();
        try (NatsServer server = NatsServer.start();
             Connection nc = Nats.connect(Options.builder().server(server.url()).build())) {
            requireAnswer(nc);
            return (System.nanoTime() - t0) / 1e6;
        }
    }

    /** The baseline: launch, then poll connect and the JS API until it answers (port probed beforehand). */
    private static double rawStart(NatsServerBinary binary) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path store = Files.createTempDirectory("bench-raw-");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(binary.path().toString(), "-js", "-a", "127.0.0.1", "-p",
                Integer.toString(port), "-sd", store.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline) {
                try (Connection nc = Nats.connect(Options.builder().server("nats://127.0.0.1:" + port)
                        .connectionTimeout(Duration.ofMillis(200)).noReconnect()
                        .errorListener(new io.nats.client.ErrorListener() { }).build())) {
                    requireAnswer(nc);
                    return (System.nanoTime() - t0) / 1e6;
                } catch (IOException notYet) {
                    Thread.onSpinWait();
                }
            }
            throw new IllegalStateException("raw nats-server did not answer within 10 s");
        } finally {
            p.destroyForcibly().waitFor();
            try (Stream<Path> w = Files.walk(store)) {
                w.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static void requireAnswer(Connection nc) throws InterruptedException, IOException {
        Message m = nc.request("$JS.API.INFO", new byte[0], Duration.ofSeconds(5));
        if (m == null || m.isStatusMessage()) {
            throw new IOException("no JetStream answer");
        }
    }
}
