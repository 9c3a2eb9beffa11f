package io.natsmigrate.core.rabbitmq;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The intersection of two topic patterns accepts exactly the keys both accept, checked over every short key. */
class TopicPatternsProperties {

    @Property(tries = 3000)
    void theIntersectionAcceptsExactlyWhatBothAccept(@ForAll("patterns") String a, @ForAll("patterns") String b) {
        Optional<String> both = TopicPatterns.intersect(a, b);
        for (String key : keys()) {
            boolean expected = AmqpSubjects.topicMatches(a, key) && AmqpSubjects.topicMatches(b, key);
            boolean actual = both.isPresent() && AmqpSubjects.topicMatches(both.get(), key);
            assertThat(actual).as("%s and %s on key '%s': intersection %s", a, b, key, both).isEqualTo(expected);
        }
    }

    @Property(tries = 500)
    void exchangeTypesReadAsPatterns(@ForAll("keysOrPatterns") String key) {
        assertThat(TopicPatterns.of("fanout", key)).contains("#");
        Optional<String> direct = TopicPatterns.of("direct", key);
        if (direct.isPresent()) {
            for (String k : keys()) {
                assertThat(AmqpSubjects.topicMatches(direct.get(), k)).isEqualTo(k.equals(key));
            }
        } else {
            assertThat(AmqpSubjects.words(key)).containsAnyOf("*", "#");
        }
    }

    @Provide
    Arbitrary<String> patterns() {
        return Arbitraries.of("a", "b", "", "*", "*", "#").list().ofMinSize(0).ofMaxSize(4)
                .filter(ws -> ws.indexOf("#") < 0 || ws.indexOf("#") == ws.size() - 1)
                .map(ws -> String.join(".", ws));
    }

    @Provide
    Arbitrary<String> keysOrPatterns() {
        return Arbitraries.of("a", "b", "", "*", "#").list().ofMinSize(0).ofMaxSize(3).map(ws -> String.join(".", ws));
    }

    /** Every key of up to four words from a, b, c and the empty word. */
    private static List<String> keys() {
        List<String> out = new ArrayList<>(List.of(""));
        List<List<String>> level = new ArrayList<>(List.of(List.of()));
        for (int depth = 1; depth <= 4; depth++) {
            List<List<String>> next = new ArrayList<>();
            for (List<String> prefix : level) {
                for (String w : List.of("a", "b", "c", "")) {
                    List<String> k = new ArrayList<>(prefix);
                    k.add(w);
                    next.add(k);
                    String key = String.join(".", k);
                    if (!key.isEmpty() || depth > 1) {
                        out.add(key);
                    }
                }
            }
            level = next;
        }
        return out.stream().distinct().toList();
    }
}
