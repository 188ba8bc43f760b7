package io.rewardstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchSerdeCommandTest {

    @Test
    void shouldPrintExactlyOneJsonObjectWithThroughputAndRatio() throws Exception {
        // Given
        StringWriter out = new StringWriter();
        CommandLine command = new CommandLine(new BenchSerdeCommand()).setOut(new PrintWriter(out));

        // When
        int exit = command.execute("--json", "--records", "300", "--rounds", "1", "--warmup", "1");

        // Then
        assertThat(exit).isZero();
        String printed = out.toString().strip();
        assertThat(printed.lines()).hasSize(1);
        JsonNode json = new ObjectMapper().readTree(printed);
        assertThat(json.get("serde_per_s").asDouble()).isPositive();
        assertThat(json.get("plain_avro_per_s").asDouble()).isPositive();
        assertThat(json.get("ratio").asDouble())
                .isCloseTo(json.get("serde_per_s").asDouble() / json.get("plain_avro_per_s").asDouble(),
                        Offset.offset(1e-9));
        assertThat(json.has("serde_serialize_per_s")).isTrue();
        assertThat(json.has("serde_deserialize_per_s")).isTrue();
        assertThat(json.get("records").asInt()).isEqualTo(300);
    }

    @Test
    void shouldPrintHumanReadableTableByDefault() {
        // Given
        StringWriter out = new StringWriter();
        CommandLine command = new CommandLine(new BenchSerdeCommand()).setOut(new PrintWriter(out));

        // When
        int exit = command.execute("--records", "100", "--rounds", "1", "--warmup", "0");

        // Then
        assertThat(exit).isZero();
        assertThat(out.toString()).contains("serde").contains("plain avro").contains("ratio");
    }
}
