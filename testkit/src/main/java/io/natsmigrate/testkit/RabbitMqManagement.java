package io.natsmigrate.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** The broker's management HTTP API, as the {@code guest} administrator, on loopback. */
final class RabbitMqManagement {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String auth;

    RabbitMqManagement(int port, String user, String password) {
        this.base = "http://127.0.0.1:" + port + "/api";
        this.auth = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
    }

    /** True when the API answers (the broker and its management plugin are up). */
    boolean answers() {
        try {
            return send("GET", "/overview", null).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    JsonNode get(String path) throws IOException {
        HttpResponse<String> r = expect(send("GET", path, null), 200);
        return JSON.readTree(r.body());
    }

    JsonNode post(String path, JsonNode body) throws IOException {
        HttpResponse<String> r = send("POST", path, JSON.writeValueAsString(body));
        if (r.statusCode() / 100 != 2) {
            throw new IOException("POST " + path + " answered " + r.statusCode() + ": " + readable(r.body()));
        }
        return r.body().isBlank() ? JSON.nullNode() : JSON.readTree(r.body());
    }

    void put(String path, JsonNode body) throws IOException {
        HttpResponse<String> r = send("PUT", path, JSON.writeValueAsString(body));
        if (r.statusCode() / 100 != 2) {
            throw new IOException("PUT " + path + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    /** Publishes one message; whether the exchange routed it to at least one queue. */
    boolean publish(String vhost, String exchange, String routingKey, String payload) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("properties");
        body.put("routing_key", routingKey).put("payload", payload).put("payload_encoding", "string");
        String name = exchange.isEmpty() ? "amq.default" : exchange;
        return post("/exchanges/" + segment(vhost) + "/" + segment(name) + "/publish", body).path("routed")
                .asBoolean();
    }

    /** Takes every message off a queue (acknowledged), returning the payloads in order. */
    List<String> drain(String vhost, String queue) throws IOException {
        List<String> out = new ArrayList<>();
        while (true) {
            ObjectNode body = JSON.createObjectNode().put("count", 500).put("ackmode", "ack_requeue_false")
                    .put("encoding", "auto");
            JsonNode got = post("/queues/" + segment(vhost) + "/" + segment(queue) + "/get", body);
            got.forEach(m -> out.add(m.path("payload").asText()));
            if (got.size() < 500) {
                return out;
            }
        }
    }

    /**
     * An error body with Erlang strings (lists of character codes, as RabbitMQ sends some reasons) turned into
     * text, so the reason can be read.
     */
    static String readable(String body) {
        try {
            return text(JSON.readTree(body));
        } catch (IOException notJson) {
            return body;
        }
    }

    private static String text(JsonNode node) {
        if (node.isArray() && node.size() > 0) {
            boolean chars = true;
            for (JsonNode n : node) {
                chars &= n.isInt() && n.asInt() >= 9 && n.asInt() < 0x110000;
            }
            StringBuilder sb = new StringBuilder();
            if (chars) {
                node.forEach(n -> sb.appendCodePoint(n.asInt()));
                return sb.toString();
            }
            node.forEach(n -> sb.append(sb.length() == 0 ? "" : " ").append(text(n)));
            return sb.toString();
        }
        if (node.isObject()) {
            StringBuilder sb = new StringBuilder();
            node.fields().forEachRemaining(e -> sb.append(sb.length() == 0 ? "" : ", ").append(e.getKey())
                    .append(": ").append(text(e.getValue())));
            return sb.toString();
        }
        return node.asText();
    }

    static ObjectMapper json() {
        return JSON;
    }

    /** One path segment: the management API wants %2F for the default vhost and %20 for a space. */
    static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpResponse<String> send(String method, String path, String body) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", auth);
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while calling the RabbitMQ management API", e);
        }
    }

    private static HttpResponse<String> expect(HttpResponse<String> r, int status) throws IOException {
        if (r.statusCode() != status) {
            throw new IOException(r.request().method() + " " + r.uri() + " answered " + r.statusCode() + ": "
                    + r.body());
        }
        return r;
    }
}
