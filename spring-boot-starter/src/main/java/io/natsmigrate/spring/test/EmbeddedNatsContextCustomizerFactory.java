package io.natsmigrate.spring.test;

import io.natsmigrate.testkit.NatsServer;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Registered in {@code META-INF/spring.factories}: turns {@link EmbeddedNatsServer} into a started server. */
public final class EmbeddedNatsContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass,
                                                     List<ContextConfigurationAttributes> configAttributes) {
        EmbeddedNatsServer annotation = TestContextAnnotationUtils.findMergedAnnotation(testClass,
                EmbeddedNatsServer.class);
        return annotation == null ? null : new Customizer(List.of(annotation.urlProperties()));
    }

    /** Equal for equal settings, so Spring's context cache shares a context (and its server) between tests. */
    private record Customizer(List<String> urlProperties) implements ContextCustomizer {

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration merged) {
            NatsServer server = NatsServer.start();
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("natsmigrate.embedded.server-url", server.url());
            urlProperties.forEach(p -> properties.put(p, server.url()));
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("embeddedNatsServer",
                    properties));
            context.getBeanFactory().registerSingleton(EmbeddedNatsServer.BEAN_NAME, server);
            context.addApplicationListener((ApplicationListener<ContextClosedEvent>) e -> server.close());
        }

        @Override
        public String toString() {
            return "EmbeddedNatsServer" + Arrays.toString(urlProperties.toArray());
        }
    }
}
