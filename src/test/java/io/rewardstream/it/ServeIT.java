package io.rewardstream.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rewardstream.head.FeatureLayout;
import io.rewardstream.model.ModelFixtures;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve --model DIR} started as a user starts it (the jar, a separate process), sent exactly the JSON that
 * OpenRLHF's remote reward-model client sends: one sample per POST ({@code query}, {@code prompts}, {@code labels}),
 * the older whole-batch form, and the empty {@code query} of a server with no share of a batch.
 */
class ServeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROMPT = "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
            + "<|im_start|>user\nHow do I boil an egg?<|im_end|>\n<|im_start|>assistant\n";
    private static final String ANSWER = "Put it in boiling water for eight minutes, then cool it in cold water.";

    @TempDir
    static Path temp;

    private static Process serve;
    private static Path log;
    private static URI base;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startServe() throws Exception {
        Path model = ModelFixtures.trained(FeatureLayout.SEPARATE);
        log = temp.resolve("serve.txt");
        serve = jar(List.of("serve", "--model", model.toString(), "--http-port", "0"), log);
        Pattern url = Pattern.compile("serving on (http://\\S+/)");
        await().atMost(Duration.ofMinutes(2)).until(() -> url.matcher(Files.readString(log)).find()
                || !serve.isAlive());
        Matcher m = url.matcher(Files.readString(log));
        assertThat(m.find()).as(Files.readString(log)).isTrue();
        base = URI.create(m.group(1));
    }

    @AfterAll
    static void stopServe() throws Exception {
        if (serve != null) {
            serve.destroy();
            assertThat(serve.waitFor(1, TimeUnit.MINUTES)).as("serve stops on SIGTERM").isTrue();
            assertThat(serve.exitValue()).as(Files.readString(log)).isZero();
        }
    }

    private HttpResponse<String> post(String path, Object body) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** OpenRLHF's single-sample body: the query is the prompt and the generation decoded with special tokens. */
    private static Map<String, Object> sample(String query, String prompt) {
        return Map.of("query", List.of(query), "prompts", List.of(prompt), "labels", List.of(""));
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    @Test
    void shouldBeReadyWithTheModelItServes() throws Exception {
        HttpResponse<String> ready = get("/readyz");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(json(ready).at("/model/version").asLong()).isPositive();
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void shouldScoreASingleSampleAndAnswerRewardsScoresAndNumericExtraLogs() throws Exception {
        // When
        HttpResponse<String> response = post("/get_reward", sample(PROMPT + ANSWER + "<|im_end|>", PROMPT));

        // Then
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.get("rewards")).hasSize(1);
        assertThat(body.get("scores")).isEqualTo(body.get("rewards"));
        assertThat(body.get("reward_scale").asText()).isEqualTo("normalized");
        assertThat(body.get("extra_logs").size()).isPositive();
        body.get("extra_logs").forEach(values -> {
            assertThat(values).hasSize(1);
            assertThat(values.get(0).isNumber()).isTrue();
        });
        assertThat(body.at("/extra_logs/model_version/0").asLong()).isEqualTo(body.get("model_version").asLong());
        assertThat(body.at("/extra_logs/whole_query/0").asInt()).isZero();
        assertThat(body.at("/split/0").asText()).isEqualTo("prompt");

        // And the served reward is the raw one standardised by the model's normalisation, as /v1/score says
        HttpResponse<String> direct = post("/v1/score", Map.of("items", List.of(Map.of("prompt", PROMPT,
                "response", ANSWER))));
        assertThat(body.at("/rewards/0").asDouble()).isEqualTo(json(direct).at("/rewards/0/reward_normalized")
                .asDouble());
        assertThat(body.at("/extra_logs/reward_raw/0").asDouble()).isEqualTo(json(direct).at("/rewards/0/reward")
                .asDouble());
    }

    @Test
    void shouldFindTheResponseOfAQueryThatDoesNotStartWithItsPromptByTheAssistantMarker() throws Exception {
        // Given the query of a prompt whose first tokens were cut before generation
        String cut = PROMPT.substring(PROMPT.indexOf("helpful"));
        String query = cut + ANSWER + "<|im_end|>";

        // When
        HttpResponse<String> response = post("/get_reward", sample(query, PROMPT));
        HttpResponse<String> direct = post("/v1/score", Map.of("items", List.of(Map.of("prompt", cut,
                "response", ANSWER))));

        // Then the answer alone is the response, as it would be if the prompt had matched
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).at("/split/0").asText()).isEqualTo("marker");
        assertThat(json(response).at("/extra_logs/reward_raw/0").asDouble())
                .isEqualTo(json(direct).at("/rewards/0/reward").asDouble());
    }

    @Test
    void shouldScoreAnEmptyGenerationAndAnswerAnEmptyQuery() throws Exception {
        // When
        HttpResponse<String> empty = post("/get_reward", sample(PROMPT + "<|im_end|>", PROMPT));
        HttpResponse<String> none = post("/get_reward", Map.of("query", List.of(), "prompts", List.of(),
                "labels", List.of()));

        // Then
        assertThat(empty.statusCode()).as(empty.body()).isEqualTo(200);
        assertThat(Double.isFinite(json(empty).at("/rewards/0").asDouble())).isTrue();
        assertThat(none.statusCode()).isEqualTo(200);
        assertThat(json(none).get("rewards").isArray()).isTrue();
        assertThat(json(none).get("rewards")).isEmpty();
    }

    @Test
    void shouldScoreTheOlderWholeBatchFormAndFlagAQueryItCannotSplit() throws Exception {
        // When
        HttpResponse<String> batch = post("/get_reward", Map.of("query", List.of(
                "\n\nHuman: Is the sky blue?\n\nAssistant: Yes, on a clear day.",
                "<s>[INST] Name a prime [/INST] Seven.</s>",
                "just some text without any template")));

        // Then
        assertThat(batch.statusCode()).isEqualTo(200);
        assertThat(json(batch).get("rewards")).hasSize(3);
        assertThat(json(batch).get("split").toString()).isEqualTo("[\"marker\",\"marker\",\"whole\"]");
        assertThat(json(batch).at("/extra_logs/whole_query").toString()).isEqualTo("[0,0,1]");
        assertThat(get("/metrics").body()).containsPattern("rewardstream_scorer_query_splits_total\\{rule=\"whole\"}"
                + " [1-9]");
    }

    @Test
    void shouldAnswer413ToA5MegabyteBodySentWholeBeforeReading() throws Exception {
        // Given a client that writes the whole body before it reads (Python's requests)
        byte[] body = ("{\"query\":[\"" + "a".repeat(5 << 20) + "\"]}").getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /get_reward HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();

            // When
            InputStream in = socket.getInputStream();
            String answer = new String(in.readNBytes(512), StandardCharsets.UTF_8);

            // Then
            assertThat(answer).startsWith("HTTP/1.1 413").contains("http.max-body-bytes");
        }
    }

    @Test
    void shouldAnswerEveryOneOfManyConcurrentSingleSampleRequests() throws Exception {
        // When
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            calls.add(http.sendAsync(HttpRequest.newBuilder(base.resolve("/get_reward"))
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
                            sample(PROMPT + "Answer number " + i + ".<|im_end|>", PROMPT)))).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }

        // Then
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            HttpResponse<String> response = call.get(2, TimeUnit.MINUTES);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(json(response).get("rewards")).hasSize(1);
        }
    }

    @Test
    void shouldRefuseToStartWithNeitherAModelNorACluster() throws Exception {
        Path out = temp.resolve("alone.txt");
        Process alone = jar(List.of("serve"), out);
        assertThat(alone.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(alone.exitValue()).isEqualTo(2);
        assertThat(Files.readString(out)).contains("serve needs --model DIR");
    }

    /** {@code java -jar target/rewardstream.jar ARGS} with stdout and stderr in {@code out}. */
    private static Process jar(List<String> args, Path out) throws IOException {
        Path jar = Path.of(System.getProperty("rewardstream.jar", "target/rewardstream.jar"));
        assertThat(jar).as("the shaded jar is built in the package phase").exists();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xss16m", "-jar", jar.toString()));
        command.addAll(args);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    }
}
