package io.natsmigrate.samples;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps {@code docs/api-overview.md} from rotting: every code block marked {@code <!-- snippet: NAME -->} must
 * equal the region {@code tag::NAME[]} .. {@code end::NAME[]} of {@link ApiExamplesTest}, which the build
 * compiles and runs.
 */
class DocsSnippetsTest {

    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    @Test
    void apiOverviewShowsExactlyTheCompiledExamples() throws Exception {
        Map<String, String> regions = regions(Files.readString(ROOT.resolve(
                "samples/src/test/java/io/natsmigrate/samples/ApiExamplesTest.java")));
        String doc = Files.readString(ROOT.resolve("docs/api-overview.md"));
        Matcher m = Pattern.compile("<!-- snippet: (\\w+) -->\\s*```java\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        List<String> shown = new ArrayList<>();
        while (m.find()) {
            shown.add(m.group(1));
            assertThat(regions).as("a tagged region for snippet %s", m.group(1)).containsKey(m.group(1));
            assertThat(m.group(2)).as("snippet %s", m.group(1)).isEqualTo(regions.get(m.group(1)));
        }
        assertThat(shown).containsExactlyInAnyOrderElementsOf(regions.keySet());
    }

    private static Map<String, String> regions(String source) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("// tag::(\\w+)\\[]\\n(.*?)\\n\\s*// end::\\1\\[]", Pattern.DOTALL).matcher(source);
        while (m.find()) {
            out.put(m.group(1), dedent(m.group(2)));
        }
        return out;
    }

    private static String dedent(String block) {
        List<String> lines = block.lines().toList();
        int indent = lines.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length())
                .min().orElse(0);
        StringBuilder sb = new StringBuilder();
        lines.forEach(l -> sb.append(l.length() >= indent ? l.substring(indent) : l.strip()).append('\n'));
        return sb.toString();
    }
}
