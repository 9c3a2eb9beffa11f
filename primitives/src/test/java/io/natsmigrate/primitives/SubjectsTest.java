package io.natsmigrate.primitives;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SubjectsTest {

    @Test
    void matchesFollowsNatsWildcardRules() {
        assertThat(Subjects.matches("orders.*", "orders.eu")).isTrue();
        assertThat(Subjects.matches("orders.*", "orders.eu.paris")).isFalse();
        assertThat(Subjects.matches("orders.>", "orders.eu.paris")).isTrue();
        assertThat(Subjects.matches("orders.>", "orders")).isFalse();
        assertThat(Subjects.matches("orders", "orders")).isTrue();
        assertThat(Subjects.matches("*.eu", "orders.eu")).isTrue();
    }

    @Test
    void overlapDetectsSharedSubjects() {
        assertThat(Subjects.overlap("a.>", "a.b.c")).isTrue();
        assertThat(Subjects.overlap("a.*", "a.b")).isTrue();
        assertThat(Subjects.overlap("a.*", "a.b.c")).isFalse();
        assertThat(Subjects.overlap("a.*.c", "a.b.*")).isTrue();
        assertThat(Subjects.overlap("a.b", "a.c")).isFalse();
        assertThat(Subjects.overlap(">", "x")).isTrue();
    }

    @Test
    void coversMeansEverySubjectOfTheInnerFilterMatchesTheOuter() {
        assertThat(Subjects.covers("a.>", "a.*")).isTrue();
        assertThat(Subjects.covers("a.>", "a.b.>")).isTrue();
        assertThat(Subjects.covers(">", "a")).isTrue();
        assertThat(Subjects.covers("a.*", "a.b")).isTrue();
        assertThat(Subjects.covers("a.*", "a.*")).isTrue();
        assertThat(Subjects.covers("a.>", "a")).isFalse();
        assertThat(Subjects.covers("a.*", "a.>")).isFalse();
        assertThat(Subjects.covers("a.*.c", "a.b.*")).isFalse();
        assertThat(Subjects.covers("a.b.*", "a.*.c")).isFalse();
        assertThat(Subjects.covers("a.b", "a.b.c")).isFalse();
    }

    /** Checked against matching itself over every subject of up to four tokens from a small alphabet. */
    @Property(tries = 500)
    void coversAgreesWithMatching(@ForAll("filters") String outer, @ForAll("filters") String inner) {
        boolean everyMatch = true;
        for (String subject : subjects()) {
            if (Subjects.matches(inner, subject) && !Subjects.matches(outer, subject)) {
                everyMatch = false;
                break;
            }
        }
        assertThat(Subjects.covers(outer, inner)).as(outer + " covers " + inner).isEqualTo(everyMatch);
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> filters() {
        net.jqwik.api.Arbitrary<String> token = net.jqwik.api.Arbitraries.of("a", "b", "*");
        return token.list().ofMinSize(0).ofMaxSize(3).flatMap(ts -> net.jqwik.api.Arbitraries.of(true, false)
                .map(tail -> {
                    List<String> all = new java.util.ArrayList<>(ts);
                    if (tail || all.isEmpty()) {
                        all.add(">");
                    }
                    return String.join(".", all);
                }));
    }

    private static List<String> subjects() {
        List<String> out = new java.util.ArrayList<>();
        List<String> level = List.of("a", "b", "c");
        out.addAll(level);
        for (int depth = 2; depth <= 4; depth++) {
            List<String> next = new java.util.ArrayList<>();
            for (String s : level) {
                for (String t : List.of("a", "b", "c")) {
                    next.add(s + "." + t);
                }
            }
            out.addAll(next);
            level = next;
        }
        return out;
    }

    @Test
    void badSubjectsAreNamedWithTheFix() {
        assertThatThrownBy(() -> Subjects.requirePublishSubject("a.*")).isInstanceOf(InvalidSubjectException.class)
                .hasMessageContaining("wildcard");
        assertThatThrownBy(() -> Subjects.requireFilter("a.>.b")).hasMessageContaining("may only end");
        assertThatThrownBy(() -> Subjects.requireFilter("a.b*")).hasMessageContaining("whole token");
        assertThatThrownBy(() -> Subjects.requirePublishSubject("a\tb")).hasMessageContaining("whitespace");
        assertThatThrownBy(() -> Subjects.requirePublishSubject(".a")).hasMessageContaining("empty token");
        assertThat(Subjects.requireFilter("a.*.>")).isEqualTo("a.*.>");
    }

    /** A literal filter matches exactly itself; '>' after any prefix matches every longer subject. */
    @Property(tries = 200)
    void literalAndTailWildcardProperties(@ForAll @Size(min = 1, max = 5) List<@AlphaChars @StringLength(min = 1, max = 4) String> tokens) {
        String subject = String.join(".", tokens);
        assertThat(Subjects.matches(subject, subject)).isTrue();
        for (int i = 0; i < tokens.size(); i++) {
            String prefix = String.join(".", tokens.subList(0, i));
            String tail = prefix.isEmpty() ? ">" : prefix + ".>";
            assertThat(Subjects.matches(tail, subject)).isTrue();
            assertThat(Subjects.overlap(tail, subject)).isTrue();
        }
    }
}
