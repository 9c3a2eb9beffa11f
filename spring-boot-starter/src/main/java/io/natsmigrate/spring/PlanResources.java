package io.natsmigrate.spring;

import io.natsmigrate.core.MigrationPlan;
import io.natsmigrate.core.planfile.PlanFile;
import io.natsmigrate.core.planfile.PlanFileException;
import io.natsmigrate.core.planfile.PlanFormat;
import org.springframework.core.io.Resource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** A plan file as a Spring {@link Resource} ({@code classpath:plans/orders.yaml}, {@code file:/etc/...}). */
final class PlanResources {

    private PlanResources() {
    }

    static MigrationPlan read(Resource resource, String location) throws IOException {
        if (!resource.exists()) {
            throw new PlanFileException(location, 0, "", "natsmigrate.plan-file names no resource; check the"
                    + " location (classpath:... or file:...)");
        }
        String name = resource.getFilename() == null ? location : resource.getFilename();
        PlanFormat format = PlanFormat.of(Path.of(name));
        if (resource.isFile()) {
            return PlanFile.read(resource.getFile().toPath());
        }
        // Relative paths inside (RabbitMQ definitions) start at the working directory for a classpath resource.
        return PlanFile.parse(resource.getContentAsString(StandardCharsets.UTF_8), format, Path.of(""));
    }
}
