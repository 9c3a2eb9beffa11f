package io.natsmigrate.core.planfile;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.natsmigrate.core.CoreToJetStreamRecipe;
import io.natsmigrate.core.Gates;
import io.natsmigrate.core.MigrationPlan;
import io.natsmigrate.core.MigrationRunner;
import io.natsmigrate.core.Step;
import io.natsmigrate.core.Steps;
import io.natsmigrate.core.rabbitmq.RabbitDefinitions;
import io.natsmigrate.core.rabbitmq.RabbitMqRecipe;
import io.natsmigrate.testkit.NatsTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Plans read from and written to plan files, and the errors a bad file gets. */
class PlanFileTest {

    private static final String ORDERS = """
            plan: orders
            phases:
              - name: provision
                steps:
                  - stream:
                      config:
                        name: ORDERS
                        subjects: ["orders.>"]
                        max_age: 24h
                  - consumer:
                      stream: ORDERS
                      config: {durable_name: billing, ack_policy: explicit, ack_wait: 45s}
              - name: cutover
                gates:
                  - consumerDrained: {stream: ORDERS, consumer: billing, timeout: 5m}
                steps:
                  - marker: {name: consumers read from ORDERS}
            """;

    private static MigrationPlan recipe() {
        return CoreToJetStreamRecipe.named("run-completion-events")
                .stream(StreamConfiguration.builder().name("run-completion-events").subjects("events")
                        .maxAge(Duration.ofHours(1)).maxMessages(1000).maxBytes(10_485_760).build())
                .consumer(ConsumerConfiguration.builder().durable("my-app-consumer-v1").build())
                .cutoverGate(Gates.consumerDrained("run-completion-events", "my-app-consumer-v1",
                        Duration.ofMinutes(2)))
                .build();
    }

    @Test
    void aRecipeBuiltInJavaIsWrittenOutAndReadsBackAsTheSamePlan() {
        MigrationPlan java = recipe();
        for (PlanFormat format : PlanFormat.values()) {
            String text = PlanFile.write(java, format);
            MigrationPlan read = PlanFile.parse(text, format);
            assertThat(read.name()).isEqualTo("run-completion-events");
            assertThat(read.steps()).extracting(Step::name).isEqualTo(java.steps().stream().map(Step::name).toList());
            assertThat(read.phases()).extracting(p -> p.gates().size())
                    .isEqualTo(java.phases().stream().map(p -> p.gates().size()).toList());
            assertThat(read.steps()).extracting(Step::reversibility)
                    .isEqualTo(java.steps().stream().map(Step::reversibility).toList());
            assertThat(PlanFile.write(read, format)).isEqualTo(text);
        }
        String yaml = PlanFile.write(java, PlanFormat.YAML);
        assertThat(yaml).contains("max_age: 1h").contains("storedOnlyIn:").contains("requireTrace: false")
                .contains("irreversible: true").contains("timeout: 2m");
    }

    @Test
    void aRabbitMqTranslationWithDurableSourcesIsWrittenOutAndReadsBack() throws Exception {
        MigrationPlan rabbit = RabbitMqRecipe.from(RabbitDefinitions.read(Path.of("..", "docs", "examples",
                "rabbitmq-definitions.json"))).build().plan();
        String yaml = PlanFile.write(rabbit, PlanFormat.YAML);
        assertThat(yaml).contains("durableSource:");
        MigrationPlan read = PlanFile.parse(yaml, PlanFormat.YAML);
        assertThat(read.steps()).extracting(Step::name).isEqualTo(rabbit.steps().stream().map(Step::name).toList());
        assertThat(read.requiredFeatures()).isEqualTo(rabbit.requiredFeatures());
        assertThat(PlanFile.write(read, PlanFormat.YAML)).isEqualTo(yaml);
    }

    @Test
    void theFileAndTheJavaDescribeTheSamePlan() {
        MigrationPlan file = PlanFile.parse(ORDERS, PlanFormat.YAML);
        MigrationPlan java = MigrationPlan.named("orders")
                .phase("provision", p -> p
                        .step(Steps.stream(StreamConfiguration.builder().name("ORDERS").subjects("orders.>")
                                .maxAge(Duration.ofHours(24)).build()))
                        .step(Steps.consumer("ORDERS", ConsumerConfiguration.builder().durable("billing")
                                .ackWait(Duration.ofSeconds(45)).build())))
                .phase("cutover", p -> p.gate(Gates.consumerDrained("ORDERS", "billing", Duration.ofMinutes(5)))
                        .step(Steps.marker("consumers read from ORDERS")))
                .build();
        assertThat(PlanFile.write(file, PlanFormat.JSON)).isEqualTo(PlanFile.write(java, PlanFormat.JSON));
    }

    @NatsTest
    @Test
    void aPlanReadFromAFileAppliesOnTheServerWithTheSettingsItSays(Connection nc, JetStreamManagement jsm,
                                                                   @TempDir Path dir) throws Exception {
        Path file = dir.resolve("orders.yaml");
        Files.writeString(file, ORDERS);
        try (MigrationRunner runner = PlanFile.read(file).runner(nc).build()) {
            runner.applyTo("cutover");
            assertThat(runner.state().phase()).isEqualTo("cutover");
        }
        StreamInfo si = jsm.getStreamInfo("ORDERS");
        assertThat(si.getConfiguration().getMaxAge()).isEqualTo(Duration.ofHours(24));
        assertThat(jsm.getConsumerInfo("ORDERS", "billing").getConsumerConfiguration().getAckWait())
                .isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void aTypoInAServerSettingIsAnErrorWithItsLineAndPath() {
        String typo = ORDERS.replace("ack_wait: 45s", "ack_wiat: 45s");
        assertThatThrownBy(() -> PlanFile.parse(typo, PlanFormat.YAML))
                .isInstanceOfSatisfying(PlanFileException.class, e -> {
                    assertThat(e.line()).isEqualTo(12);
                    assertThat(e.path()).isEqualTo("phases[0].steps[1].consumer.config.ack_wiat");
                    assertThat(e.getMessage()).contains("<text> line 12").contains("\"ack_wiat\" is not a setting");
                });
    }

    @Test
    void badElementsAreNamedWithTheirLineAndTheFix() {
        assertError(ORDERS.replace("- marker:", "- markr:"), 17, "phases[1].steps[0].markr",
                "\"markr\" is not a kind here");
        assertError(ORDERS.replace("timeout: 5m", "timeout: five minutes"), 15,
                "phases[1].gates[0].consumerDrained.timeout", "it must be a duration");
        assertError(ORDERS.replace("max_age: 24h", "max_age: soon"), 9,
                "phases[0].steps[0].stream.config.max_age", "it must be a duration");
        assertError(ORDERS.replace("plan: orders", "plan: my orders"), 1, "plan", "plan name");
        assertError(ORDERS.replace("name: cutover", "name: provision"), 13, "phases[1].name", "used twice");
        assertError(ORDERS.replace("stream: ORDERS\n", "stream: NOPE\n"), 10, "phases[0].steps[1]",
                "not created by an earlier step");
        assertError(ORDERS.replace("plan: orders", "plan: orders\nrecipe: {}"), 1, "",
                "either \"phases\" or \"recipe\", not both");
        assertError("plan: x\nphases: [\n", 2, "", "it is not valid YAML");
        assertError(ORDERS.replace("name: ORDERS\n", "name: ORDERS.V2\n"), 7, "phases[0].steps[0].stream.config",
                "stream");
    }

    @Test
    void emptyFilesBadGateSettingsAndMissingArgumentsAreRefused() {
        assertError("", 1, "", "a plan file is one object");
        assertError("- just a list", 1, "", "a plan file is one object");
        assertError(ORDERS.replace("consumerDrained: {stream: ORDERS, consumer: billing, timeout: 5m}",
                "consumersAttached: {stream: ORDERS, atLeast: 0}"), 15, "phases[1].gates[0].consumersAttached",
                "atLeast must be 1 or more");
        assertError(ORDERS.replace("consumerDrained: {stream: ORDERS, consumer: billing, timeout: 5m}",
                "consumersKeepUp: {stream: ORDERS, maxFill: 1.5}"), 15, "phases[1].gates[0].consumersKeepUp",
                "maxFill must be within (0, 1]");
        assertThatThrownBy(() -> PlanFile.read(null)).isInstanceOf(NullPointerException.class).hasMessage("file");
        assertThatThrownBy(() -> PlanFile.parse(ORDERS, null)).isInstanceOf(NullPointerException.class)
                .hasMessage("format");
        assertThatThrownBy(() -> PlanFile.write(null, PlanFormat.YAML)).isInstanceOf(NullPointerException.class)
                .hasMessage("plan");
    }

    @Test
    void aStreamWithSubjectsOverlappingAnEarlierOneIsPlacedOnItsOwnLine() {
        String overlap = ORDERS.replace("      - consumer:\n",
                "      - stream:\n          config: {name: MORE, subjects: [\"orders.eu.>\"]}\n      - consumer:\n");
        assertError(overlap, 11, "phases[0].steps[1].stream", "overlaps");
    }

    @Test
    void aPlanWithApplicationCodeCannotBeWrittenOutAndTheStepIsNamed() {
        MigrationPlan plan = MigrationPlan.named("code")
                .phase("p", p -> p.step(Steps.action("switch publishers", ctx -> { }, ctx -> { }))).build();
        assertThatThrownBy(() -> PlanFile.write(plan, PlanFormat.YAML))
                .isInstanceOf(PlanFileException.class)
                .hasMessageContaining("step \"switch publishers\" is application code");
    }

    @Test
    void aFileNameWithoutAKnownEndingOrAMissingFileIsRefused(@TempDir Path dir) {
        assertThatThrownBy(() -> PlanFile.read(dir.resolve("plan.txt"))).isInstanceOf(PlanFileException.class)
                .hasMessageContaining(".yaml, .yml or .json");
        assertThatThrownBy(() -> PlanFile.read(dir.resolve("missing.yaml"))).isInstanceOf(PlanFileException.class)
                .hasMessageContaining("no such file");
    }

    private static void assertError(String text, int line, String path, String message) {
        assertThatThrownBy(() -> PlanFile.parse(text, PlanFormat.YAML))
                .isInstanceOfSatisfying(PlanFileException.class, e -> {
                    assertThat(e.getMessage()).contains(message);
                    assertThat(e.path()).isEqualTo(path);
                    assertThat(e.line()).isEqualTo(line);
                });
    }
}
