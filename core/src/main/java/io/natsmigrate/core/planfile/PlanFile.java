package io.natsmigrate.core.planfile;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.natsmigrate.core.MigrationPlan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Declarative plans: a {@link MigrationPlan} read from, or written to, a YAML or JSON plan file.
 *
 * <pre>{@code
 * MigrationPlan plan = PlanFile.read(Path.of("migration.yaml"));
 * try (MigrationRunner runner = plan.runner(nc).build()) {
 *     runner.applyTo("provision");
 * }
 * String yaml = PlanFile.write(plan, PlanFormat.YAML);   // and back: PlanFile.parse(yaml, PlanFormat.YAML)
 * }</pre>
 *
 * A file holds either explicit {@code phases} (streams, consumers, deletes, markers, built-in gates) or one
 * built-in {@code recipe} ({@code coreToJetStream}, {@code rabbitmq}); the format is in {@code docs/plan-files.md}
 * and {@code docs/plan-file.schema.json}. Every error is a {@link PlanFileException} naming the file, line and
 * element. A plan with application code (an action step, a custom gate) cannot be written out: {@link #write}
 * says which step.
 */
public final class PlanFile {

    private PlanFile() {
    }

    /**
     * Reads a plan file; its format comes from the name ({@code .yaml}, {@code .yml}, {@code .json}) and relative
     * paths in it (RabbitMQ definitions) are resolved against its directory.
     *
     * @throws PlanFileException when the file is missing, malformed or describes an invalid plan
     */
    public static MigrationPlan read(Path file) {
        Objects.requireNonNull(file, "file");
        PlanFormat format = PlanFormat.of(file);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new PlanFileException(file.toString(), 0, "", "there is no such file; check the path");
        } catch (IOException e) {
            throw new PlanFileException(file.toString(), 0, "", "it cannot be read: " + e.getMessage());
        }
        Path dir = file.toAbsolutePath().getParent();
        return new PlanFileReader(PlanTree.parse(file.toString(), text, format), dir).read();
    }

    /** Parses plan-file text; relative paths in it are resolved against the working directory. */
    public static MigrationPlan parse(String text, PlanFormat format) {
        return parse(text, format, Path.of(""));
    }

    /** Parses plan-file text; relative paths in it (RabbitMQ definitions) are resolved against {@code baseDir}. */
    public static MigrationPlan parse(String text, PlanFormat format, Path baseDir) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(baseDir, "baseDir");
        return new PlanFileReader(PlanTree.parse("<text>", text, format), baseDir.toAbsolutePath()).read();
    }

    /**
     * The plan as a plan file with explicit phases (a recipe's plan is written out step by step).
     *
     * @throws PlanFileException naming the first step or gate that is application code
     */
    public static String write(MigrationPlan plan, PlanFormat format) {
        Objects.requireNonNull(plan, "plan");
        try {
            return Mappers.of(format, "plan " + plan.name()).writerWithDefaultPrettyPrinter()
                    .writeValueAsString(PlanFileWriter.write(plan));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the plan to {@code file} in the format its name says. */
    public static void write(MigrationPlan plan, Path file) throws IOException {
        Files.writeString(file, write(plan, PlanFormat.of(file)), StandardCharsets.UTF_8);
    }
}
