package io.natsmigrate.reliable;

import org.junit.jupiter.api.Test;

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
        assertThatThrownBy(() -> Class.forName("com.fasterxml.jackson.databind.ObjectMapper"))
                .isInstanceOf(ClassNotFoundException.class);
    }
}
