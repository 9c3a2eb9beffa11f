package io.natsmigrate.core.planfile;

import java.nio.file.Path;
import java.util.Locale;

/** The two plan-file syntaxes. YAML needs {@code com.fasterxml.jackson.dataformat:jackson-dataformat-yaml}. */
public enum PlanFormat {
    /** {@code .json} files. */
    JSON,
    /** {@code .yaml} and {@code .yml} files. */
    YAML;

    /**
     * The format a file's name ends in.
     *
     * @throws PlanFileException for any other ending, naming the ones accepted
     */
    public static PlanFormat of(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".json")) {
            return JSON;
        }
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return YAML;
        }
        throw new PlanFileException(file.toString(), 0, "", "a plan file's name ends in .yaml, .yml or .json;"
                + " rename it so its format is known");
    }
}
