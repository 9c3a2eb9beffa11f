package io.natsmigrate.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nats.client.Message;
import io.natsmigrate.primitives.JetStreamErrorCodes;
import io.natsmigrate.primitives.ServerFeature;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Creates the durable consumer of a {@link DurableSource} on its origin. Sent as raw JetStream API JSON: jnats
 * has no {@code flow_control} ack policy (it reads one back as {@code explicit}). Never updated in place: a
 * consumer with another filter or deliver subject is refused with the fix, because deleting it would drop the
 * interest that keeps the origin's messages. Rollback deletes a consumer this step created.
 */
final class DurableSourceStep implements Step {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration API_TIMEOUT = Duration.ofSeconds(5);
    private static final long HEARTBEAT_NANOS = Duration.ofSeconds(1).toNanos();

    private final DurableSource source;

    DurableSourceStep(DurableSource source) {
        this.source = source;
    }

    @Override
    public Optional<Map<String, Object>> declaration() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("sourcing", source.sourcing());
        f.put("origin", source.origin());
        f.put("consumer", source.consumer());
        f.put("deliverSubject", source.deliverSubject());
        f.put("filterSubject", source.filterSubject());
        if (source.transformTo() != null) {
            f.put("transformTo", source.transformTo());
        }
        return Optional.of(Map.of("durableSource", f));
    }

    @Override
    public String name() {
        return "durable source consumer " + source.origin() + " > " + source.consumer();
    }

    @Override
    public Optional<String> needsStream() {
        return Optional.of(source.origin());
    }

    @Override
    public Set<ServerFeature> requiredFeatures() {
        return Set.of(ServerFeature.DURABLE_SOURCING);
    }

    @Override
    public StepCheck check(StepContext ctx) throws Exception {
        Optional<JsonNode> live = live(ctx);
        if (live.isEmpty()) {
            return StepCheck.missing();
        }
        List<FieldDiff> diffs = diffs(live.get());
        return diffs.isEmpty() ? StepCheck.inSync() : StepCheck.drifted(diffs);
    }

    @Override
    public StepResult apply(StepContext ctx) throws Exception {
        ServerFeature.DURABLE_SOURCING.requireSupportedBy(ctx.connection());
        Optional<JsonNode> live = live(ctx);
        if (live.isPresent()) {
            List<FieldDiff> diffs = diffs(live.get());
            if (!diffs.isEmpty()) {
                throw new InvalidPlanException(name(), "the consumer exists with other settings " + diffs + ";"
                        + " deleting it would drop the interest that keeps " + source.origin() + "'s messages, so"
                        + " it is not changed: drain the sourcing stream, delete the consumer, and apply again");
            }
            return StepResult.of(StepResult.Action.ADOPTED);
        }
        ObjectNode config = JSON.createObjectNode()
                .put("durable_name", source.consumer())
                .put("deliver_subject", source.deliverSubject())
                .put("deliver_policy", "all")
                .put("ack_policy", "flow_control")
                .put("flow_control", true)
                .put("idle_heartbeat", HEARTBEAT_NANOS)
                .put("max_deliver", -1)
                .put("filter_subject", source.filterSubject());
        ObjectNode request = JSON.createObjectNode().put("stream_name", source.origin());
        request.set("config", config);
        ctx.countWrite();
        api(ctx, "CONSUMER.CREATE." + source.origin() + "." + source.consumer(), request);
        return StepResult.of(StepResult.Action.CREATED);
    }

    @Override
    public void rollback(StepContext ctx, StepResult applied) throws Exception {
        if (applied.action() == StepResult.Action.CREATED && live(ctx).isPresent()) {
            ctx.countWrite();
            ctx.jsm().deleteConsumer(source.origin(), source.consumer());
        }
    }

    private List<FieldDiff> diffs(JsonNode live) {
        JsonNode config = live.path("config");
        List<FieldDiff> diffs = new ArrayList<>();
        compare(diffs, "filter_subject", source.filterSubject(), config.path("filter_subject").asText(null));
        compare(diffs, "deliver_subject", source.deliverSubject(), config.path("deliver_subject").asText(null));
        compare(diffs, "ack_policy", "flow_control", config.path("ack_policy").asText(null));
        return diffs;
    }

    private static void compare(List<FieldDiff> diffs, String field, String desired, String live) {
        if (!desired.equals(live)) {
            diffs.add(new FieldDiff(field, desired, live));
        }
    }

    /** The consumer's info as the server sends it (raw: jnats would turn flow_control into explicit). */
    private Optional<JsonNode> live(StepContext ctx) throws Exception {
        ctx.countRead();
        JsonNode info = api(ctx, "CONSUMER.INFO." + source.origin() + "." + source.consumer(), null);
        if (info.has("error")) {
            int code = info.path("error").path("err_code").asInt();
            if (code == JetStreamErrorCodes.CONSUMER_NOT_FOUND || code == JetStreamErrorCodes.STREAM_NOT_FOUND) {
                return Optional.empty();
            }
            throw new IOException("The server answered " + info.path("error") + " for " + name());
        }
        return Optional.of(info);
    }

    /** One JetStream API request on the default API prefix; an error other than "not found" is returned as is. */
    private JsonNode api(StepContext ctx, String endpoint, JsonNode body) throws Exception {
        byte[] payload = body == null ? null : JSON.writeValueAsBytes(body);
        Message reply = ctx.connection().request("$JS.API." + endpoint, payload, API_TIMEOUT);
        if (reply == null) {
            throw new IOException("No answer from the JetStream API (" + endpoint + ") within "
                    + API_TIMEOUT.toSeconds() + " s");
        }
        JsonNode answer = JSON.readTree(new String(reply.getData(), StandardCharsets.UTF_8));
        if (body != null && answer.has("error")) {
            throw new IOException("The server refused " + name() + ": " + answer.path("error"));
        }
        return answer;
    }
}
