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
