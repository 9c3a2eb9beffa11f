package io.natsmigrate.spring;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Makes the application's beans of the given types (runners, publishers, DLQs) depend on the startup migration, so
 * they start on migrated streams, as Spring Boot makes JPA wait for Flyway. Nothing changes when there is no
 * startup migration bean (no plan configured).
 */
final class StartupOrder implements BeanFactoryPostProcessor {

    private final List<Class<?>> types;

    StartupOrder(Class<?>... types) {
        this.types = List.of(types);
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory factory) {
        if (!factory.containsBeanDefinition(NatsMigrateAutoConfiguration.STARTUP_MIGRATION)) {
            return;
        }
        for (Class<?> type : types) {
            for (String name : factory.getBeanNamesForType(type, true, false)) {
                if (!factory.containsBeanDefinition(name)) {
                    continue;
                }
                BeanDefinition definition = factory.getBeanDefinition(name);
                Set<String> dependsOn = new LinkedHashSet<>();
                if (definition.getDependsOn() != null) {
                    dependsOn.addAll(Arrays.asList(definition.getDependsOn()));
                }
                dependsOn.add(NatsMigrateAutoConfiguration.STARTUP_MIGRATION);
                definition.setDependsOn(dependsOn.toArray(String[]::new));
            }
        }
    }
}
