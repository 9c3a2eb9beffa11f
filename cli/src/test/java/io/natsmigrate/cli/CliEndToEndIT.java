package io.natsmigrate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.testkit.NatsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code natsmigrate} jar, run as a process, drives the seed-001 migration (Core subject {@code events} onto
 * stream {@code run-completion-events}) from a plan file on a real server: validate, dry run, apply phase by phase,
 * status and history in text and JSON, a lock left by a killed apply released with {@code unlock}, drift found by
 * {@code validate}, rollback.
 */
class CliEndToEndIT {

    private static final String PLAN = "run-completion-events";
    private static final String PLAN_FILE = """
            plan: run-completion-events
            recipe:
              coreToJetStream:
                stream:
                  name: run-completion-events
                  subjects: [events]
                  max_age: 1h
                  max_msgs: 1000
                  max_bytes: 10485760
                consumers:
                  - {durable_name: my-app-consumer-v1, ack_policy: explicit}
                cutoverGates:
                  - consumerDrained: {stream: run-completion-events, consumer: my-app-consumer-v1, timeout: 10m}
            """;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static NatsServer server;

    @BeforeAll
    static void start() {
        server = NatsServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static CliProcess.Result cli(String... args) throws Exception {
        String[] withServer = new String[args.length + 2];
        System.arraycopy(args, 0, withServer, 0, args.length);
        withServer[args.length] = "--server";
        withServer[args.length + 1] = server.url();
        return CliProcess.run(withServer);
    }

    @Test
    void theCliDrivesTheSeed001MigrationFromAPlanFile(@TempDir Path dir) throws Exception {
        Path plan = dir.resolve("run-completion-events.yaml");
        Files.writeString(plan, PLAN_FILE);
        String file = plan.toString();

        CliProcess.Result r = CliProcess.run("validate", "--plan", file, "--offline");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("valid, plan run-completion-events, 6 phases");

        r = cli("dry-run", "--plan", file, "--to", "provision", "--json");
        assertThat(r.exit()).as(r.all()).isZero();
        JsonNode dry = JSON.readTree(r.out());
        assertThat(dry.path("changes").findValuesAsText("kind")).containsExactly("CREATE", "CREATE");

        r = cli("apply", "--plan", file, "--to", "provision");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("stream run-completion-events: CREATED").contains("phase provision reached")
                .contains("(start) -> provision, 2 step(s) changed");

        r = cli("apply", "--plan", file, "--to", "dual-publish");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("gate passed: events is stored only in stream run-completion-events");

        r = cli("status", "--json");
        assertThat(r.exit()).as(r.all()).isZero();
        JsonNode status = JSON.readTree(r.out()).get(0);
        assertThat(status.path("plan").asText()).isEqualTo(PLAN);
        assertThat(status.path("phase").asText()).isEqualTo("dual-publish");
        assertThat(status.path("appliedSteps").asInt()).isEqualTo(3);
        assertThat(status.has("lock")).isFalse();

        try (Connection nc = server.connect()) {
            // One event the new consumer has not handled: the cutover gate (consumer drained) waits for it.
            nc.jetStream().publish("events", "run-1 done".getBytes(StandardCharsets.UTF_8));

            Process apply = CliProcess.builder(Map.of(), "apply", "--plan", file, "--to", "cutover",
                    "--instance", "pod-7", "--server", server.url()).redirectErrorStream(true).start();
            List<String> lines = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> waiting = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(apply.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        lines.add(line);
                        if (line.contains("waiting") && line.contains("num_pending=1")) {
                            waiting.complete(null);
                        }
                    }
                } catch (Exception e) {
                    waiting.completeExceptionally(e);
                }
            });
            reader.start();
            waiting.get(60, TimeUnit.SECONDS); // progress: the gate's wait and its figure, while it lasts
            apply.destroyForcibly(); // SIGKILL: the pod dies holding the lock
            assertThat(apply.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(lines).anyMatch(l -> l.contains("[shadow] JetStream consumers verified in shadow: RAN"));

            r = cli("status", PLAN);
            assertThat(r.exit()).as(r.all()).isZero();
            assertThat(r.out()).contains("shadow").contains("pod-7");

            r = CliProcess.run(Map.of(), "n\n", "unlock", PLAN, "--server", server.url());
            assertThat(r.exit()).as(r.all()).isEqualTo(1);
            assertThat(r.out()).contains("is locked by pod-7 since").contains("age ").contains("left locked");
            assertThat(cli("status", PLAN, "--json").out()).contains("pod-7");

            r = cli("unlock", PLAN, "--yes");
            assertThat(r.exit()).as(r.all()).isZero();
            assertThat(r.out()).contains("released the lock of pod-7");
            assertThat(JSON.readTree(cli("status", PLAN, "--json").out()).get(0).has("lock")).isFalse();

            // The application handles the event; the drained gate passes and the next apply goes on at once.
            JetStreamSubscription sub = nc.jetStream().subscribe(null, PullSubscribeOptions.bind(PLAN,
                    "my-app-consumer-v1"));
            List<Message> got = sub.fetch(1, Duration.ofSeconds(5));
            assertThat(got).hasSize(1);
            got.get(0).ackSync(Duration.ofSeconds(5));
        }

        r = cli("apply", "--plan", file, "--to", "cutover");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("gate passed: consumer run-completion-events > my-app-consumer-v1 drained")
                .contains("shadow -> cutover");

        r = cli("watch", PLAN, "--until", "cutover", "--for", "30s");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("phase cutover, 5 steps applied, lock free");
        r = cli("watch", PLAN, "--until", "decommission", "--for", "1s", "--interval", "200ms");
        assertThat(r.exit()).as(r.all()).isEqualTo(1);
        assertThat(r.out()).contains("decommission not reached");

        r = cli("history", PLAN);
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("pod-7").contains("consumers read from JetStream");
        r = cli("history", PLAN, "--json");
        JsonNode history = JSON.readTree(r.out());
        assertThat(history.findValuesAsText("subject")).contains("stream run-completion-events", "cutover");

        r = cli("validate", "--plan", file);
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("plan and recorded state agree");
        try (Connection nc = server.connect()) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            StreamConfiguration live = jsm.getStreamInfo(PLAN).getConfiguration();
            jsm.updateStream(StreamConfiguration.builder(live).maxMessages(500).build()); // changed by hand
        }
        r = cli("validate", "--plan", file);
        assertThat(r.exit()).as(r.all()).isEqualTo(1);
        assertThat(r.out()).contains("drift: step \"stream run-completion-events\"").contains("max_msgs");

        r = cli("apply", "--plan", file, "--to", "decommission");
        assertThat(r.exit()).as(r.all()).isEqualTo(1);
        assertThat(r.err()).contains("natsmigrate: ").contains("decommission legacy path");

        r = cli("rollback", "--plan", file, "--to", "provision");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("cutover -> provision, 3 step(s) rolled back");
        assertThat(JSON.readTree(cli("status", "--json").out()).get(0).path("phase").asText()).isEqualTo("provision");
    }

    @Test
    void usageErrorsExitWith2AndFailuresWith1NamingTheFix(@TempDir Path dir) throws Exception {
        CliProcess.Result r = CliProcess.run("apply", "--to", "provision");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required option: '--plan=FILE'");
        assertThat(CliProcess.run("nonsense").exit()).isEqualTo(2);

        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, PLAN_FILE.replace("max_age: 1h", "max_ages: 1h"));
        r = CliProcess.run("validate", "--plan", bad.toString(), "--offline");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("line 7").contains("\"max_ages\" is not a setting jnats knows");

        r = CliProcess.run("status", "--server", "nats://127.0.0.1:1", "--timeout", "1s");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("Cannot connect to nats://127.0.0.1:1").doesNotContain("SEVERE");

        r = CliProcess.run("status", "--context", "nowhere");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("no context file").contains("nats context save nowhere");
    }

    @Test
    void aNatsCliContextGivesTheConnection(@TempDir Path dir) throws Exception {
        Path contexts = Files.createDirectories(dir.resolve("nats").resolve("context"));
        Files.writeString(contexts.resolve("staging.json"), "{\"url\": \"" + server.url() + "\"}");
        CliProcess.Result r = CliProcess.run(Map.of("XDG_CONFIG_HOME", dir.toString()), "", "status", "--context",
                "staging", "--bucket", "natsmigrate_cli_context");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("No plans recorded: there is no bucket natsmigrate_cli_context");
    }

    @Test
    void rabbitmqTranslateReportsInTextAndJsonAndWritesThePlan(@TempDir Path dir) throws Exception {
        Path defs = Path.of("..", "docs", "examples", "rabbitmq-definitions.json");
        CliProcess.Result r = CliProcess.run("rabbitmq", "translate", defs.toString());
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("Translated with differences").contains("queue work");
        Path planOut = dir.resolve("rabbit.yaml");
        r = CliProcess.run("rabbitmq", "translate", defs.toString(), "--json", "--write-plan", planOut.toString());
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(JSON.readTree(r.out()).path("differences").size()).isGreaterThan(0);
        r = CliProcess.run("validate", "--plan", planOut.toString(), "--offline");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("plan rabbitmq-default, 6 phases");
    }
}
