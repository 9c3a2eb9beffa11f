package io.natsmigrate.core;

import io.nats.client.Connection;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.primitives.PermissionDeniedException;
import io.natsmigrate.testkit.NatsServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plan runner with exactly the permissions the README lists: it works; with any one of them removed it fails
 * at once with a typed error naming the missing permission, instead of retrying a request nobody answers.
 */
class PlanRunnerPermissionsTest {

    /** What the runner needs for a plan of streams and consumers, its state in the default bucket. */
    static final List<String> PUBLISH = List.of(
            "$JS.API.STREAM.>",
            "$JS.API.CONSUMER.>",
            "$JS.API.DIRECT.GET.KV_natsmigrate_plans.>",
            "$KV.natsmigrate_plans.>");
    static final List<String> SUBSCRIBE = List.of("_INBOX.>");

    @Test
    void theListedPermissionsAreEnoughAndEachOneIsNeeded() throws Exception {
        assertThat(apply(PUBLISH, SUBSCRIBE)).as("with every listed permission").isNull();
        List<String> outcomes = new ArrayList<>();
        for (String p : PUBLISH) {
            List<String> fewer = new ArrayList<>(PUBLISH);
            fewer.remove(p);
            outcomes.add("publish " + p + " -> " + describe(apply(fewer, SUBSCRIBE)));
        }
        for (String s : SUBSCRIBE) {
            List<String> fewer = new ArrayList<>(SUBSCRIBE);
            fewer.remove(s);
            outcomes.add("subscribe " + s + " -> " + describe(apply(PUBLISH, fewer)));
        }
        outcomes.forEach(System.out::println);
        assertThat(outcomes).allSatisfy(o -> assertThat(o).contains("PermissionDeniedException"));
    }

    private static String describe(Throwable t) {
        if (t == null) {
            return "no failure";
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof PermissionDeniedException) {
                return "PermissionDeniedException: " + c.getMessage();
            }
        }
        return t.toString();
    }

    /** Applies a small plan as a user with these permissions; the failure, or null. */
    private static Throwable apply(List<String> publish, List<String> subscribe) throws Exception {
        try (NatsServer server = NatsServer.builder().extraConfig(
                "authorization {",
                "  users: [ { user: admin, password: pw },",
                "    { user: runner, password: pw, permissions: {",
                "      publish: { allow: " + list(publish) + " },",
                "      subscribe: { allow: " + list(subscribe) + " } } } ]",
                "}").start();
             Connection nc = server.connect("runner", "pw")) {
            MigrationPlan plan = MigrationPlan.named("perms").phase("provision", p -> {
                p.step(Steps.stream(StreamConfiguration.builder().name("ORDERS").subjects("orders.>").build()));
                p.step(Steps.consumer("ORDERS", ConsumerConfiguration.builder().durable("billing").build()));
            }).build();
            long start = System.nanoTime();
            try (MigrationRunner runner = plan.runner(nc).transientRetry(Duration.ofSeconds(20)).build()) {
                runner.applyTo("provision");
                runner.status();
                runner.rollbackToStart();
                return null;
            } catch (Exception e) {
                long ms = (System.nanoTime() - start) / 1_000_000;
                assertThat(ms).as("a denied request ends the run at once, not at the retry bound: " + e)
                        .isLessThan(15_000);
                return e;
            }
        }
    }

    /** As a quoted list; an empty allow list would allow everything, so "none" allows an unused subject. */
    private static String list(List<String> subjects) {
        List<String> allow = subjects.isEmpty() ? List.of("none.at.all") : subjects;
        return allow.stream().map(s -> "\"" + s + "\"").toList().toString();
    }
}
