package io.natsmigrate.core.planfile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The Jackson mappers of the two formats; YAML only when its module is on the classpath. */
final class Mappers {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Mappers() {
    }

    static ObjectMapper of(PlanFormat format, String source) {
        if (format == PlanFormat.JSON) {
            return JSON;
        }
        try {
            return Yaml.MAPPER;
        } catch (NoClassDefFoundError e) {
            throw new PlanFileException(source, 0, "", "YAML plan files need jackson-dataformat-yaml on the"
                    + " classpath: add com.fasterxml.jackson.dataformat:jackson-dataformat-yaml (the version of your"
                    + " jackson-databind), or write the plan as JSON");
        }
    }

    /** Loaded on first use, so that JSON alone works without the YAML module. */
    private static final class Yaml {
        static final ObjectMapper MAPPER = new ObjectMapper(
                com.fasterxml.jackson.dataformat.yaml.YAMLFactory.builder()
                        .disable(com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                        .enable(com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature.MINIMIZE_QUOTES)
                        .build());
    }
}
