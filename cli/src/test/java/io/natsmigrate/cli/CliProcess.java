package io.natsmigrate.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the built {@code natsmigrate} jar as a process, as an operator would. */
final class CliProcess {

    /** One finished run. */
    record Result(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("natsmigrate.cli.jar", "target/natsmigrate-cli-all.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("No CLI jar " + jar + "; these tests run after package (./mvnw verify)");
        }
        return jar;
    }

    static ProcessBuilder builder(Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("NATS_URL");
        pb.environment().putAll(env);
        return pb;
    }

    static Result run(String... args) throws IOException, InterruptedException {
        return run(Map.of(), "", args);
    }

    static Result run(Map<String, String> env, String stdin, String... args) throws IOException, InterruptedException {
        Process p = builder(env, args).start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        // Output is read after exit: these commands print little, far below the pipe buffer.
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("natsmigrate " + String.join(" ", args) + " did not end within 120 s");
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
