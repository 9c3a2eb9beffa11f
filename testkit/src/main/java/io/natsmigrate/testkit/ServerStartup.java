package io.natsmigrate.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Follows a starting server's output: records every line and reads the listener ports it reports. The log is the
 * source because the ports file ({@code ports_file_dir}) of nats-server 2.15.1 is written before the leaf node
 * listener starts and so never names the leaf node port (checked on this machine).
 */
final class ServerStartup {

    private static final Pattern LISTENING =
            Pattern.compile("Listening for (client|leafnode|route|websocket) connections on (\\S+):(\\d+)");
    private static final Pattern MONITOR = Pattern.compile("Starting http monitor on (\\S+):(\\d+)");
    private static final Pattern READY = Pattern.compile("Server is ready");

    private ServerStartup() {
    }

    /**
     * Reads the server's output, records it and completes {@code ready} once the server said "Server is ready"
     * and reported every listener it was configured with (routes and leaf nodes are announced after "ready").
     */
    static void pump(Process p, ServerLog log, ListenerPorts initial, ServerSettings settings,
                     CompletableFuture<ListenerPorts> ready) {
        ListenerPorts found = initial;
        boolean readySeen = false;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                log.add(line);
                if (ready.isDone()) {
                    continue;
                }
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    found = found.with(m.group(1), Integer.parseInt(m.group(3)));
                } else if ((m = MONITOR.matcher(line)).find()) {
                    found = found.with("monitor", Integer.parseInt(m.group(2)));
                } else if (READY.matcher(line).find()) {
                    readySeen = true;
                }
                if (readySeen && found.has("client") && found.has("monitor")
                        && (settings.clusterName == null || found.has("route"))
                        && (!settings.leafNodeListener || found.has("leafnode"))) {
                    ready.complete(found);
                }
            }
        } catch (IOException e) {
            log.add("--- natsmigrate testkit: log stream closed: " + e.getMessage() + " ---");
        }
        ready.completeExceptionally(new IllegalStateException("nats-server output ended"));
        ProcessControl.awaitExit(p);
        log.add("--- natsmigrate testkit: process ended, exit code " + ProcessControl.exitCode(p) + " ---");
    }
}
