package io.natsmigrate.testkit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a user may publish and subscribe to, for least-privilege tests: give a server a user with exactly these
 * ({@link NatsServer.Builder#user(String, String, UserPermissions)}), then check that each one is needed with
 * {@link #eachWithOneRemoved()}.
 *
 * @param publish   subjects the user may publish to (wildcards allowed)
 * @param subscribe subjects the user may subscribe to
 */
public record UserPermissions(List<String> publish, List<String> subscribe) {

    /** An allow list nats-server reads as "nothing": an empty list would mean no restriction at all. */
    private static final String NOTHING = "natsmigrate.testkit.nothing";

    public UserPermissions {
        publish = List.copyOf(Objects.requireNonNull(publish, "publish"));
        subscribe = List.copyOf(Objects.requireNonNull(subscribe, "subscribe"));
    }

    /** Exactly these subjects. */
    public static UserPermissions of(List<String> publish, List<String> subscribe) {
        return new UserPermissions(publish, subscribe);
    }

    /**
     * One variant per permission, each with that one removed, labelled {@code "publish <subject>"} or
     * {@code "subscribe <subject>"}, in order.
     */
    public Map<String, UserPermissions> eachWithOneRemoved() {
        Map<String, UserPermissions> out = new LinkedHashMap<>();
        for (String p : publish) {
            List<String> fewer = new ArrayList<>(publish);
            fewer.remove(p);
            out.put("publish " + p, new UserPermissions(fewer, subscribe));
        }
        for (String s : subscribe) {
            List<String> fewer = new ArrayList<>(subscribe);
            fewer.remove(s);
            out.put("subscribe " + s, new UserPermissions(publish, fewer));
        }
        return out;
    }

    /** One run of the code under test as a user with some permissions: what happened, in words. */
    @FunctionalInterface
    public interface Run {
        String outcome(UserPermissions permissions) throws Exception;
    }

    /**
     * Runs {@code run} once per variant of {@link #eachWithOneRemoved()}, in order, and returns one line per
     * variant, {@code "<label> -> <outcome>"}, each also printed so a failing test shows every outcome.
     */
    public List<String> outcomesWithOneRemoved(Run run) throws Exception {
        List<String> outcomes = new ArrayList<>();
        for (Map.Entry<String, UserPermissions> fewer : eachWithOneRemoved().entrySet()) {
            String line = fewer.getKey() + " -> " + run.outcome(fewer.getValue());
            System.out.println(line);
            outcomes.add(line);
        }
        return outcomes;
    }

    /** The {@code permissions} object of a user in the server config. */
    ObjectNode toConfig() {
        ObjectNode permissions = ConfigJson.object();
        permissions.putObject("publish").set("allow", allow(publish));
        permissions.putObject("subscribe").set("allow", allow(subscribe));
        return permissions;
    }

    private static ArrayNode allow(List<String> subjects) {
        return ConfigJson.strings(subjects.isEmpty() ? List.of(NOTHING) : subjects);
    }
}
