package io.rewardstream.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rewardstream.common.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PairFileTest {

    @TempDir
    Path dir;

    private Path file(String... lines) throws IOException {
        Path path = dir.resolve("pairs.jsonl");
        Files.write(path, List.of(lines));
        return path;
    }

    @Test
    void shouldReadPairsWithAndWithoutMargins() throws IOException {
        Path path = file("{\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":\"b\"}", "",
                "{\"prompt\":\"q\",\"chosen\":\"c\",\"rejected\":\"d\",\"margin\":0.5}");

        JsonLines.Read<PreferencePair> read = PairFile.read(path, false);

        assertThat(read.skipped()).isEmpty();
        assertThat(read.records()).hasSize(2);
        assertThat(read.records().get(0).hasMargin()).isFalse();
        assertThat(read.records().get(1).margin()).isEqualTo(0.5);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "{\"prompt\":\"p\",\"chosen\":\"a\" | malformed JSON",
        "{\"prompt\":\"p\",\"rejected\":\"b\"} | missing field \"chosen\"",
        "{\"prompt\":\"  \",\"chosen\":\"a\",\"rejected\":\"b\"} | field \"prompt\" is empty",
        "{\"prompt\":\"p\",\"chosen\":\"same\",\"rejected\":\"same\"} | chosen and rejected are identical",
        "{\"prompt\":\"p\",\"chosen\":3,\"rejected\":\"b\"} | field \"chosen\" must be a string",
        "{\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":\"b\",\"margin\":-1} | margin must be a finite number >= 0",
        "[1, 2] | expected a JSON object",
    })
    void shouldSkipABadLineNamingFileLineAndReason(String bad, String reason) throws IOException {
        Path path = file("{\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":\"b\"}", bad,
                "{\"prompt\":\"q\",\"chosen\":\"c\",\"rejected\":\"d\"}");

        JsonLines.Read<PreferencePair> read = PairFile.read(path, false);

        assertThat(read.records()).hasSize(2);
        assertThat(read.skipped()).singleElement().satisfies(error -> {
            assertThat(error.line()).isEqualTo(2);
            assertThat(error.toString()).startsWith(path + ":2: ").contains(reason);
        });
    }

    @Test
    void shouldStopAtTheFirstBadLineWhenStrict() throws IOException {
        Path path = file("{\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":\"b\"}", "not json");

        assertThatThrownBy(() -> PairFile.read(path, true)).isInstanceOf(BadInputException.class)
                .hasMessageStartingWith(path + ":2: malformed JSON");
    }

    @Test
    void shouldNameAMissingFile() {
        Path missing = dir.resolve("nope.jsonl");

        assertThatThrownBy(() -> PairFile.read(missing, false)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("nope.jsonl: no such file");
    }
}
