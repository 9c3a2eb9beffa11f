package io.natsmigrate.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * What the testkit does to a server process from outside: Unix signals ({@code kill -STOP/-CONT}, so
 * {@link NatsServer#pause()} and {@link NatsServer#resume()} are Unix-only), watching its threads' states on Linux,
 * waiting for its exit, and removing its files.
 */
final class ProcessControl {

    private ProcessControl() {
    }

    static void signal(Process process, String sig) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid()))
                    .redirectErrorStream(true).start();
            String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + sig + " " + process.pid() + " failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not send SIG" + sig + " (needs the `kill` command)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while sending SIG" + sig, e);
        }
    }

    /** Waits until all threads of the process are (or are no longer) in the stopped state 'T'. */
    static void awaitThreadsStopped(Process process, String serverName, boolean stopped) {
        Path tasks = Path.of("/proc", Long.toString(process.pid()), "task");
        if (!Files.isDirectory(tasks)) {
            return; // no procfs (not Linux): the signal is sent, delivery cannot be observed
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            if (allThreadsStopped(tasks) == stopped) {
                return;
            }
            Thread.onSpinWait();
        }
        throw new IllegalStateException("Server " + serverName + " did not " + (stopped ? "stop" : "continue")
                + " within 5 s of SIG" + (stopped ? "STOP" : "CONT"));
    }

    private static boolean allThreadsStopped(Path tasks) {
        try (Stream<Path> threads = Files.list(tasks)) {
            return threads.allMatch(t -> {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    // the state is the first field after the parenthesised command name
                    char state = stat.charAt(stat.lastIndexOf(')') + 2);
                    return state == 'T' || state == 't';
                } catch (IOException | RuntimeException gone) {
                    return true; // a thread that exited does not run
                }
            });
        } catch (IOException e) {
            return false;
        }
    }

    static void awaitExit(Process p) {
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String exitCode(Process p) {
        return p.isAlive() ? "none yet" : Integer.toString(p.exitValue());
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException ignored) {
                    // best effort: a file the server still writes to is gone with the temp dir later
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // best effort, see above
        }
    }
}
