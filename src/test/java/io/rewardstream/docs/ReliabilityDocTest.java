package io.rewardstream.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/reliability.md lists each guarantee with the test that checks it; this keeps every test it names real: each
 * {@code FooTest}, {@code FooIT} or {@code FooTest.shouldBar} in back quotes must be a test class of this project and,
 * when a method is named, a method of that class.
 */
class ReliabilityDocTest {

    private static final Path PROJECT = Path.of(System.getProperty("user.dir"));
    private static final Pattern NAMED = Pattern.compile("`([A-Z][A-Za-z0-9]*(?:Test|IT))(?:\\.(should[A-Za-z0-9]+))?`");

    @Test
    void shouldNameOnlyTestsThatExist() throws IOException {
        String doc = Files.readString(PROJECT.resolve("docs/reliability.md"), StandardCharsets.UTF_8);
        Map<String, Path> classes;
        try (Stream<Path> files = Files.walk(PROJECT.resolve("src/test/java"))) {
            classes = files.filter(f -> f.toString().endsWith(".java")).collect(Collectors.toMap(
                    f -> f.getFileName().toString().replace(".java", ""), f -> f, (a, b) -> a));
        }
        List<String> missing = new ArrayList<>();
        int named = 0;
        Matcher m = NAMED.matcher(doc);
        while (m.find()) {
            named++;
            Path file = classes.get(m.group(1));
            if (file == null) {
                missing.add(m.group(0) + " (no such test class)");
            } else if (m.group(2) != null && !Files.readString(file).contains("void " + m.group(2) + "(")) {
                missing.add(m.group(0) + " (no such test method)");
            }
        }
        assertThat(named).as("tests named in docs/reliability.md").isGreaterThan(40);
        assertThat(missing).as("tests docs/reliability.md names that do not exist").isEmpty();
    }
}
