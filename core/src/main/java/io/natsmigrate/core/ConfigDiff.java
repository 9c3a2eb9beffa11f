package io.natsmigrate.core;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Compares a desired JetStream configuration with the live one, field by field, over their JSON forms.
 *
 * <p>Normalization (so server-filled defaults are not reported as drift): a field the plan left at the jnats
 * builder's default is not compared, because the server fills it in (duplicate window 2 min, replicas 1, ack
 * wait 30 s, max ack pending 1,000, ...). Metadata is compared only for the keys the plan sets; the server's own
 * {@code _nats.*} keys are ignored. Numbers compare by value.
 */
final class ConfigDiff {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ConfigDiff() {
    }

    /**
     * @param desiredJson the plan's config as JSON
     * @param builderDefaultJson the same kind of config built with nothing set but its name, as JSON
     * @param liveJson the server's config as JSON
     */
    static List<FieldDiff> diff(String desiredJson, String builderDefaultJson, String liveJson) {
        Map<String, Object> desired = parse(desiredJson);
        Map<String, Object> defaults = parse(builderDefaultJson);
        Map<String, Object> live = parse(liveJson);
        List<FieldDiff> diffs = new ArrayList<>();
        for (String key : new TreeSet<>(desired.keySet())) {
            Object want = desired.get(key);
            if (key.equals("name") || key.equals("durable_name")) {
                continue; // the identity, not a setting
            }
            if (!key.equals("subjects") && same(want, defaults.get(key))) {
                continue; // left at the builder default: the server's value stands
            }
            Object have = live.get(key);
            if (key.equals("metadata") && want instanceof Map<?, ?> wm) {
                Map<?, ?> hm = have instanceof Map<?, ?> m ? m : Map.of();
                for (Map.Entry<?, ?> e : wm.entrySet()) {
                    if (!Objects.equals(e.getValue(), hm.get(e.getKey()))) {
                        diffs.add(new FieldDiff("metadata." + e.getKey(), e.getValue(), hm.get(e.getKey())));
                    }
                }
                continue;
            }
            if (!same(want, have)) {
                diffs.add(new FieldDiff(key, want, have));
            }
        }
        return diffs;
    }

    private static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString())) == 0;
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!same(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (!x.keySet().equals(y.keySet())) {
                return false;
            }
            return x.keySet().stream().allMatch(k -> same(x.get(k), y.get(k)));
        }
        return Objects.equals(a, b);
    }

    private static Map<String, Object> parse(String json) {
        try {
            return JSON.readValue(json, new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException("Unreadable JetStream configuration JSON: " + json, e);
        }
    }
}
