package io.natsmigrate.spring;

import io.nats.client.Connection;

import java.util.Map;

/**
 * Adds figures to the {@code natsmigrate} endpoint and health details: the starter contributes dead-letter depths
 * and consumer lag when consumer-patterns is on the classpath; applications may add their own beans.
 */
@FunctionalInterface
public interface StatusContributor {

    /**
     * Puts this contributor's figures into {@code details}.
     *
     * @return false when a figure shows the application unhealthy (health DOWN)
     */
    boolean contribute(Connection nc, Map<String, Object> details) throws Exception;
}
