package io.rewardstream.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Keeps every schema in schemas/ backward compatible with each of its committed versions: data written
 * with any earlier version must stay readable with the current one. An incompatible edit fails the build.
 */
class SchemaEvolutionTest {

    private static final Path PROJECT = Path.of(System.getProperty("user.dir"));
    private static final Path SCHEMAS = PROJECT.resolve("schemas");

    @TestFactory
    Stream<DynamicTest> shouldReadDataWrittenWithEveryCommittedVersion() throws IOException {
        SchemaHistory history = new SchemaHistory(PROJECT);
        Assumptions.assumeTrue(history.available(),
                "Skipping schema history check: " + PROJECT + " is not inside a git checkout");
        List<Path> files;
        try (Stream<Path> listing = Files.list(SCHEMAS)) {
            files = listing.filter(p -> p.toString().endsWith(".avsc")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            // Given
            Schema current = new Schema.Parser().parse(file.toFile());
            List<SchemaHistory.Version> versions = history.versions(PROJECT.relativize(file).toString());

            // When
            List<String> problems = new ArrayList<>();
            for (SchemaHistory.Version version : versions) {
                SchemaHistory.backwardProblems(current, version.schema())
                        .forEach(p -> problems.add("commit " + version.commit().substring(0, 10) + ": " + p));
            }

            // Then
            assertThat(problems)
                    .as("%s must stay backward compatible with its committed versions", file.getFileName())
                    .isEmpty();
        }));
    }

    @Test
    void shouldFlagAddedFieldWithoutDefaultAsIncompatible() {
        // Given
        Schema before = SchemaBuilder.record("E").fields().requiredString("id").endRecord();
        Schema after = SchemaBuilder.record("E").fields().requiredString("id").requiredLong("added").endRecord();

        // When
        List<String> problems = SchemaHistory.backwardProblems(after, before);

        // Then
        assertThat(problems).singleElement().asString().contains("added");
    }

    @Test
    void shouldAcceptAddedOptionalFieldWithDefault() {
        // Given
        Schema before = SchemaBuilder.record("E").fields().requiredString("id").endRecord();
        Schema after = SchemaBuilder.record("E").fields().requiredString("id").optionalString("note").endRecord();

        // When / Then
        assertThat(SchemaHistory.backwardProblems(after, before)).isEmpty();
    }
}
