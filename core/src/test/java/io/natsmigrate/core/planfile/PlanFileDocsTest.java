package io.natsmigrate.core.planfile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.natsmigrate.core.ApplyOptions;
import io.natsmigrate.core.MigrationPlan;
import io.natsmigrate.core.MigrationRunner;
import io.natsmigrate.core.Phase;
import io.natsmigrate.testkit.NatsTest;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every plan file example of {@code docs/plan-files.md} is valid against {@code docs/plan-file.schema.json}, reads
 * into a plan and applies to its last phase on a real server; and the schema is strict enough to refuse a bad one.
 */
class PlanFileDocsTest {

    private static final Path DOCS = Path.of("..", "docs");
    private static final Pattern BLOCK = Pattern.compile("```(yaml|json)\\n(.*?)```", Pattern.DOTALL);

    record Example(PlanFormat format, String text) {
    }

    static List<Example> examples() throws Exception {
        Matcher m = BLOCK.matcher(Files.readString(DOCS.resolve("plan-files.md")));
        List<Example> examples = new ArrayList<>();
        while (m.find()) {
            examples.add(new Example(m.group(1).equals("yaml") ? PlanFormat.YAML : PlanFormat.JSON, m.group(2)));
        }
        return examples;
    }

    static Schema schema() throws Exception {
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(new ObjectMapper().readTree(DOCS.resolve("plan-file.schema.json").toFile()));
    }

    static JsonNode tree(Example e) throws Exception {
        return (e.format() == PlanFormat.YAML ? new YAMLMapper() : new ObjectMapper()).readTree(e.text());
    }

    @Test
    void everyExampleIsValidAgainstTheSchema() throws Exception {
        Schema schema = schema();
        List<Example> examples = examples();
        assertThat(examples).hasSizeGreaterThanOrEqualTo(4);
        for (Example e : examples) {
            List<Error> errors = schema.validate(tree(e));
            assertThat(errors).as("schema errors in\n" + e.text()).isEmpty();
        }
    }

    @Test
    void theSchemaRefusesWhatTheReaderRefuses() throws Exception {
        Schema schema = schema();
        for (String bad : List.of(
                "plan: x\nphases: [{name: p, steps: [{markr: {name: m}}]}]",
                "plan: x\nphases: [{name: p}]\nrecipe: {coreToJetStream: {stream: {name: S}, consumers: []}}",
                "plan: my plan\nphases: [{name: p}]",
                "plan: x\nphases: [{name: p, gates: [{consumerDrained: {stream: S, consumer: c, timeout: soon}}]}]")) {
            assertThat(schema.validate(new YAMLMapper().readTree(bad))).as(bad).isNotEmpty();
        }
    }

    @NatsTest
    @Test
    void everyExampleReadsIntoAPlanAndAppliesToItsLastPhase(Connection nc, JetStreamManagement jsm)
            throws Exception {
        for (Example e : examples()) {
            MigrationPlan plan = PlanFile.parse(e.text(), e.format(), DOCS);
            List<Phase> phases = plan.phases();
            String last = phases.get(phases.size() - 1).name();
            try (MigrationRunner runner = plan.runner(nc).build()) {
                runner.applyTo(last, ApplyOptions.builder().confirmAllIrreversible().build());
                assertThat(runner.state().phase()).as(plan.name()).isEqualTo(last);
                assertThat(runner.status().steps()).as(plan.name()).allMatch(s -> s.applied());
            }
        }
        assertThat(jsm.getStreamNames()).contains("ORDERS", "ORDERS_J", "run-completion-events", "AMQP")
                .doesNotContain("ORDERS_LEGACY");
    }
}
