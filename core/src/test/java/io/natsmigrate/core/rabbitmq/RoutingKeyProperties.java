package io.natsmigrate.core.rabbitmq;

import io.natsmigrate.primitives.Subjects;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The routing-key translation against RabbitMQ's topic matching: every key gives a valid NATS subject, distinct
 * keys give distinct subjects, and a key matches a pattern in AMQP exactly when its subject matches one of the
 * pattern's NATS filters.
 */
class RoutingKeyProperties {

    @Property(tries = 2000)
    void everyKeyIsAValidSubject(@ForAll("keys") String key) {
        String subject = AmqpSubjects.subject("amqp", "ex.change", key);
        assertThat(Subjects.requirePublishSubject(subject)).isEqualTo(subject);
        assertThat(subject).doesNotContain(" ").doesNotContain("..");
    }

    @Property(tries = 2000)
    void distinctKeysGiveDistinctSubjects(@ForAll("keys") String a, @ForAll("keys") String b) {
        if (!a.equals(b)) {
            assertThat(AmqpSubjects.key(a)).isNotEqualTo(AmqpSubjects.key(b));
        }
    }

    @Property(tries = 5000)
    void aKeyMatchesAPatternInAmqpIffItsSubjectMatchesTheFilters(@ForAll("patterns") String pattern,
                                                                 @ForAll("keys") String key) {
        Optional<List<String>> filters = AmqpSubjects.topicFilters(pattern);
        if (filters.isEmpty()) {
            // Only '#' before the last word is untranslatable.
            List<String> words = AmqpSubjects.words(pattern);
            assertThat(words.subList(0, words.size() - 1)).contains("#");
            return;
        }
        // Filters are relative to the exchange's subject; "" is that subject alone (the empty key).
        List<String> absolute = filters.get().stream().map(f -> AmqpSubjects.join("amqp.x", f)).toList();
        absolute.forEach(Subjects::requireFilter);
        String subject = AmqpSubjects.join("amqp.x", AmqpSubjects.key(key));
        Subjects.requirePublishSubject(subject);
        boolean nats = absolute.stream().anyMatch(f -> Subjects.matches(f, subject));
        assertThat(nats).as("pattern %s key %s filters %s subject %s", pattern, key, filters.get(), subject)
                .isEqualTo(AmqpSubjects.topicMatches(pattern, key));
    }

    /** Keys from a small alphabet, so that patterns built from the same words often match. */
    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.of("a", "b", "", "*", "#", ">", "%", "a b", "é", "x%41", "\t", "a*")
                .list().ofMinSize(1).ofMaxSize(5).map(ws -> String.join(".", ws));
    }

    @Provide
    Arbitrary<String> patterns() {
        return Arbitraries.of("a", "b", "", "*", "#", "*", "#", ">", "%", "é", "a*")
                .list().ofMinSize(1).ofMaxSize(5).map(ws -> String.join(".", ws));
    }
}
