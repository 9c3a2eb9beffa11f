package io.natsmigrate.core.rabbitmq;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Binding keys as AMQP topic patterns, and the intersection of two: the keys both accept. Only patterns whose
 * {@code #} is last (after consecutive ones collapse) are handled, the ones JetStream filters can express.
 */
final class TopicPatterns {

    private TopicPatterns() {
    }

    /**
     * The keys a binding of an exchange of {@code type} with {@code key} routes, as a topic pattern: fanout
     * {@code #}, direct the key itself, topic the pattern. Empty when it cannot be expressed: a direct key with a
     * word {@code *} or {@code #} (literal there, a wildcard in a pattern), a {@code #} before the last word.
     */
    static Optional<String> of(String type, String key) {
        return switch (type) {
            case "fanout" -> Optional.of("#");
            case "direct" -> AmqpSubjects.words(key).stream().anyMatch(w -> w.equals("*") || w.equals("#"))
                    ? Optional.empty() : Optional.of(key);
            default -> normal(key);
        };
    }

    /** The pattern accepting exactly the keys both accept; empty when there is none (or it is not expressible). */
    static Optional<String> intersect(String a, String b) {
        Optional<String> na = normal(a);
        Optional<String> nb = normal(b);
        if (na.isEmpty() || nb.isEmpty()) {
            return Optional.empty();
        }
        List<String> x = AmqpSubjects.words(na.get());
        List<String> y = AmqpSubjects.words(nb.get());
        boolean xTail = !x.isEmpty() && x.get(x.size() - 1).equals("#");
        boolean yTail = !y.isEmpty() && y.get(y.size() - 1).equals("#");
        List<String> xs = xTail ? x.subList(0, x.size() - 1) : x;
        List<String> ys = yTail ? y.subList(0, y.size() - 1) : y;
        List<String> out = new ArrayList<>();
        int n = Math.min(xs.size(), ys.size());
        for (int i = 0; i < n; i++) {
            String p = xs.get(i);
            String q = ys.get(i);
            if (p.equals("*")) {
                out.add(q);
            } else if (q.equals("*") || p.equals(q)) {
                out.add(p);
            } else {
                return Optional.empty();
            }
        }
        if (xs.size() > n) {
            if (!yTail) {
                return Optional.empty();
            }
            out.addAll(xs.subList(n, xs.size()));
        } else if (ys.size() > n) {
            if (!xTail) {
                return Optional.empty();
            }
            out.addAll(ys.subList(n, ys.size()));
        }
        if (xTail && yTail) {
            out.add("#");
        } else if (out.equals(List.of(""))) {
            // One empty word: no key is that ("" is no word at all), and no pattern could say it.
            return Optional.empty();
        }
        return Optional.of(String.join(".", out));
    }

    /** The pattern with consecutive {@code #} collapsed; empty when a {@code #} is not last. */
    private static Optional<String> normal(String pattern) {
        List<String> out = new ArrayList<>();
        for (String w : AmqpSubjects.words(pattern)) {
            if (w.equals("#") && !out.isEmpty() && out.get(out.size() - 1).equals("#")) {
                continue;
            }
            out.add(w);
        }
        int hash = out.indexOf("#");
        return hash >= 0 && hash != out.size() - 1 ? Optional.empty() : Optional.of(String.join(".", out));
    }
}
