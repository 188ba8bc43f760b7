package io.rewardstream.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Keeps the version table of DEVELOPERS.md in step with the properties at the top of pom.xml. */
class DevelopersDocTest {

    private static final Path PROJECT = Path.of(System.getProperty("user.dir"));
    private static final Pattern PROPERTY = Pattern.compile("<([a-z0-9.]+\\.(?:version|release))>([^<]+)</\\1>");

    static Map<String, String> pinnedVersions(String pom) {
        int start = pom.indexOf("<properties>");
        String properties = pom.substring(start, pom.indexOf("</properties>", start));
        Map<String, String> versions = new LinkedHashMap<>();
        Matcher m = PROPERTY.matcher(properties);
        while (m.find()) {
            versions.put(m.group(1), m.group(2).trim());
        }
        return versions;
    }

    @Test
    void shouldNameEveryPinnedVersionOfThePomWithItsValue() throws IOException {
        Map<String, String> versions = pinnedVersions(Files.readString(PROJECT.resolve("pom.xml"), StandardCharsets.UTF_8));
        String doc = Files.readString(PROJECT.resolve("DEVELOPERS.md"), StandardCharsets.UTF_8);

        assertThat(versions).containsKeys("kafka.version", "onnxruntime.version", "maven.compiler.release");
        versions.forEach((property, version) -> assertThat(doc.lines()
                .filter(line -> line.startsWith("|") && line.contains("`" + property + "`")))
                .as("the DEVELOPERS.md row of %s", property)
                .singleElement().asString().contains("| " + version + " |"));
    }

    @Test
    void shouldReadThePropertiesBlockOnly() {
        String pom = "<project><properties><kafka.version>4.4.0</kafka.version><x.artifact>a</x.artifact>"
                + "</properties><profiles><properties><kafka.version>9</kafka.version></properties></profiles>";

        assertThat(pinnedVersions(pom)).containsExactly(Map.entry("kafka.version", "4.4.0"));
    }
}
