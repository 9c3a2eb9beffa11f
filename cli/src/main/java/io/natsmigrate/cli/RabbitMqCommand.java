package io.natsmigrate.cli;

import io.natsmigrate.core.rabbitmq.RabbitDefinitions;
import io.natsmigrate.core.rabbitmq.RabbitMqMigration;
import io.natsmigrate.core.rabbitmq.RabbitMqRecipe;
import io.natsmigrate.core.planfile.PlanFile;
import io.natsmigrate.core.planfile.PlanFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code natsmigrate rabbitmq translate definitions.json}: what the translation keeps, changes and cannot express. */
@Command(name = "rabbitmq", description = "RabbitMQ imports.", subcommands = RabbitMqCommand.Translate.class)
final class RabbitMqCommand {

    @Command(name = "translate", description = {"Translates a RabbitMQ definitions export and reports what has no",
            "JetStream equivalent and what behaves differently. No connection needed."})
    static final class Translate implements Callable<Integer> {

        @Parameters(paramLabel = "DEFINITIONS", description = "the export (rabbitmqctl export_definitions)")
        Path definitions;
        @Option(names = "--vhost", defaultValue = "/", description = "the vhost to translate (default: ${DEFAULT-VALUE})")
        String vhost;
        @Option(names = "--json", description = "the report as JSON")
        boolean json;
        @Option(names = "--write-plan", paramLabel = "FILE",
                description = "also write the translated plan as a plan file (.yaml or .json)")
        Path planOut;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (!Files.isReadable(definitions)) {
                throw new IllegalArgumentException(definitions + ": no such readable file");
            }
            RabbitMqMigration m = RabbitMqRecipe.from(RabbitDefinitions.read(definitions)).vhost(vhost).build();
            spec.commandLine().getOut().println(json ? m.report().toJson() : m.report().toText());
            if (planOut != null) {
                Files.writeString(planOut, PlanFile.write(m.plan(), PlanFormat.of(planOut)));
            }
            return NatsMigrate.OK;
        }
    }
}
