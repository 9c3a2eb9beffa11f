package io.natsmigrate.reliable;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.File;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * reliable-publish needs the shared rules (subjects, error codes, server features), not the plan engine with its
 * Jackson and RabbitMQ code: an application that only publishes should not carry it.
 */
class ModuleBoundariesTest {

    @Test
    void thePlanEngineIsNotOnReliablePublishesClasspath() {
        assertThatThrownBy(() -> Class.forName("io.natsmigrate.core.MigrationPlan"))
                .isInstanceOf(ClassNotFoundException.class);
    }

    /**
     * What an application gets with reliable-publish: its compile and runtime dependencies. (Jackson is on the test
     * classpath only through the testkit, which writes server configs with it.)
     */
    @Test
    void itsOwnDependenciesAreThePrimitivesSlf4jAndOptionalMicrometer() throws Exception {
        var pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new File("pom.xml"));
        NodeList deps = ((Element) pom.getElementsByTagName("dependencies").item(0)).getElementsByTagName("dependency");
        List<String> shipped = new ArrayList<>();
        for (int i = 0; i < deps.getLength(); i++) {
            Element d = (Element) deps.item(i);
            NodeList scope = d.getElementsByTagName("scope");
            if (scope.getLength() == 0 || !scope.item(0).getTextContent().trim().equals("test")) {
                shipped.add(d.getElementsByTagName("artifactId").item(0).getTextContent().trim());
            }
        }
        assertThat(shipped).containsExactlyInAnyOrder("natsmigrate-primitives", "slf4j-api", "micrometer-core");
    }
}
