package io.natsmigrate.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;

/** The server's HTTP monitoring endpoints ({@code /varz}, {@code /jsz}, {@code /leafz}, ...). */
final class MonitorClient {

    private MonitorClient() {
    }

    /**
     * GETs a monitoring endpoint, for example {@code monitor("jsz")} or {@code monitor("leafz")}.
     *
     * @return the JSON body
     */
    static String get(int monitorPort, String endpoint) {
        Objects.requireNonNull(endpoint, "endpoint");
        URI uri = URI.create("http://127.0.0.1:" + monitorPort + "/" + endpoint.replaceFirst("^/", ""));
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET " + uri + " answered " + r.statusCode() + ": " + r.body());
            }
            return r.body();
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + uri + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during GET " + uri, e);
        }
    }
}
