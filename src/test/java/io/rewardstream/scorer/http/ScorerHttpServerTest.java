package io.rewardstream.scorer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rewardstream.scorer.ScorerSettings;
import io.rewardstream.scorer.serving.BatchScorer;
import io.rewardstream.scorer.serving.FakeModel;
import io.rewardstream.scorer.serving.ModelHolder;
import io.rewardstream.scorer.serving.RequestBatcher;
import io.rewardstream.scorer.serving.ScoringMetrics;
import io.rewardstream.scorer.serving.ScoringModel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import io.rewardstream.telemetry.Telemetry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ScorerHttpServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ModelHolder holder = new ModelHolder();
    private final Telemetry telemetry = new Telemetry("scorer test");
    private final ScoringMetrics metrics = new ScoringMetrics(telemetry.registry(), holder, () -> "cpu");
    private final ScorerSettings settings = ScorerSettings.defaults().withBatchSize(8)
            .withLinger(Duration.ofMillis(200)).withHttp("127.0.0.1", 0, 2048);
    private final RequestBatcher batcher = new RequestBatcher(new BatchScorer(holder, metrics), 8, settings.linger());
    private final ScorerHttpServer server = ScorerHttpServer.start(settings.http(), new ServingState() {
        @Override
        public Optional<String> notReadyReason() {
            return holder.notReadyReason();
        }

        @Override
        public Optional<ScoringModel> model() {
            return holder.current();
        }

        @Override
        public Map<String, Object> facts() {
            return Map.of("items_scored_http", metrics.items(ScoringMetrics.HTTP));
        }
    }, batcher, telemetry);
    private final HttpClient client = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        server.close();
        batcher.close();
        holder.close();
        telemetry.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(server.url()).resolve(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(server.url()).resolve(path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    @Test
    void shouldBeAliveAtOnceButReadyOnlyOnceAModelIsLoaded() throws Exception {
        // Given no model

        // When / Then
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        HttpResponse<String> notReady = get("/readyz");
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(json(notReady).get("reason").asText()).contains("no reward model loaded yet");
        assertThat(post("/v1/score", "{\"items\":[{\"prompt\":\"p\",\"response\":\"r\"}]}").statusCode())
                .isEqualTo(503);

        // When
        holder.install(new FakeModel(3));

        // Then
        HttpResponse<String> ready = get("/readyz");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(json(ready).at("/model/version").asLong()).isEqualTo(3L);
    }

    @Test
    void shouldScoreItemsInOrderWithTheModelVersion() throws Exception {
        // Given
        holder.install(new FakeModel(2));

        // When
        HttpResponse<String> response = post("/v1/score",
                "{\"items\":[{\"prompt\":\"p\",\"response\":\"abc\"},{\"prompt\":\"p\",\"response\":\"a\"}]}");

        // Then
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.get("model_name").asText()).isEqualTo(FakeModel.NAME);
        assertThat(body.get("model_version").asLong()).isEqualTo(2L);
        assertThat(body.at("/rewards/0/reward").asDouble()).isEqualTo(FakeModel.rewardOf("abc", 2));
        assertThat(body.at("/rewards/1/reward").asDouble()).isEqualTo(FakeModel.rewardOf("a", 2));
        assertThat(body.at("/rewards/1/reward_normalized").asDouble()).isEqualTo(FakeModel.rewardOf("a", 2) / 10);
        assertThat(body.at("/rewards/0/truncated").isBoolean()).isTrue();
    }

    @Test
    void shouldAnswerOpenRlhfsSingleSampleRequestWithNormalisedRewardsScoresAndNumericExtraLogs() throws Exception {
        // Given
        holder.install(new FakeModel(1));
        String prompt = "<|im_start|>user\\nQ<|im_end|>\\n<|im_start|>assistant\\n";

        // When: exactly the body OpenRLHF's client posts for one sample
        HttpResponse<String> response = post("/get_reward", "{\"query\":[\"" + prompt + "four<|im_end|>\"],"
                + "\"prompts\":[\"" + prompt + "\"],\"labels\":[\"4\"]}");

        // Then
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response);
        double raw = FakeModel.rewardOf("four", 1);
        assertThat(body.get("rewards").get(0).asDouble()).isEqualTo(raw / 10);
        assertThat(body.get("scores").get(0).asDouble()).isEqualTo(raw / 10);
        assertThat(body.at("/extra_logs/reward_raw/0").asDouble()).isEqualTo(raw);
        assertThat(body.at("/extra_logs/reward_normalized/0").asDouble()).isEqualTo(raw / 10);
        assertThat(body.at("/extra_logs/model_version/0").asLong()).isEqualTo(1L);
        assertThat(body.at("/extra_logs/whole_query/0").asInt()).isZero();
        body.get("extra_logs").forEach(values -> values.forEach(v -> assertThat(v.isNumber()).isTrue()));
        assertThat(body.get("model_name").asText()).isEqualTo(FakeModel.NAME);
        assertThat(body.get("reward_scale").asText()).isEqualTo("normalized");
    }

    @Test
    void shouldAnswerTheOlderWholeBatchFormAndSplitByMarkersWithoutPrompts() throws Exception {
        // Given
        holder.install(new FakeModel(1));
        String chatMl = "<|im_start|>user\\nQ<|im_end|>\\n<|im_start|>assistant\\nfour<|im_end|>";

        // When
        HttpResponse<String> batch = post("/get_reward", "{\"query\":[\"" + chatMl + "\",\"Q: x A: y\"],"
                + "\"prompts\":[\"ignored, no prefix\",\"Q: x A:\"]}");
        HttpResponse<String> noPrompts = post("/get_reward", "{\"query\":[\"" + chatMl + "\"]}");

        // Then
        assertThat(batch.statusCode()).isEqualTo(200);
        assertThat(json(batch).at("/extra_logs/reward_raw/0").asDouble()).isEqualTo(FakeModel.rewardOf("four", 1));
        assertThat(json(batch).at("/extra_logs/reward_raw/1").asDouble()).isEqualTo(FakeModel.rewardOf(" y", 1));
        assertThat(json(batch).get("split").toString()).isEqualTo("[\"marker\",\"prompt\"]");
        assertThat(json(noPrompts).at("/extra_logs/reward_raw/0").asDouble())
                .isEqualTo(FakeModel.rewardOf("four", 1));
    }

    @Test
    void shouldNeverFailAWellFormedOpenRlhfRequest() throws Exception {
        // Given
        holder.install(new FakeModel(1));

        // When
        HttpResponse<String> empty = post("/get_reward", "{\"query\":[],\"prompts\":[],\"labels\":[]}");
        HttpResponse<String> emptyResponse = post("/get_reward",
                "{\"query\":[\"P: <|im_end|>\"],\"prompts\":[\"P: \"],\"labels\":[null]}");
        HttpResponse<String> unsplittable = post("/get_reward", "{\"query\":[\"no marker here\"]}");

        // Then
        assertThat(empty.statusCode()).isEqualTo(200);
        assertThat(json(empty).get("rewards").size()).isZero();
        assertThat(emptyResponse.statusCode()).isEqualTo(200);
        assertThat(json(emptyResponse).at("/extra_logs/reward_raw/0").asDouble())
                .isEqualTo(FakeModel.rewardOf("", 1));
        assertThat(unsplittable.statusCode()).isEqualTo(200);
        assertThat(json(unsplittable).at("/extra_logs/whole_query/0").asInt()).isEqualTo(1);
        assertThat(json(unsplittable).at("/extra_logs/reward_raw/0").asDouble())
                .isEqualTo(FakeModel.rewardOf("no marker here", 1));
        assertThat(get("/metrics").body()).contains("rewardstream_scorer_query_splits_total{rule=\"whole\"} 1.0")
                .contains("rewardstream_scorer_query_splits_total{rule=\"prompt\"} 1.0");
    }

    @Test
    void shouldRefuseBadRequestsWithA4xxThatSaysWhy() throws Exception {
        // Given
        holder.install(new FakeModel(1));

        // When
        HttpResponse<String> malformed = post("/v1/score", "{\"items\": [");
        HttpResponse<String> missing = post("/v1/score", "{\"items\":[{\"prompt\":\"p\",\"response\":\"r\"},"
                + "{\"prompt\":\"p\"}]}");
        HttpResponse<String> noItems = post("/v1/score", "{\"things\":[]}");
        HttpResponse<String> tooLarge = post("/v1/score", "{\"items\":[{\"prompt\":\"p\",\"response\":\""
                + "x".repeat(4096) + "\"}]}");
        HttpResponse<String> notAList = post("/get_reward", "{\"query\":\"one string\"}");
        HttpResponse<String> prompts = post("/get_reward", "{\"query\":[\"a\"],\"prompts\":[\"a\",\"b\"]}");
        HttpResponse<String> wrongMethod = get("/v1/score");

        // Then
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(json(malformed).at("/error/message").asText()).startsWith("malformed JSON");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(json(missing).at("/error/message").asText()).isEqualTo("items[1].response is missing");
        assertThat(noItems.statusCode()).isEqualTo(400);
        assertThat(json(noItems).at("/error/message").asText()).contains("\"items\" is missing");
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(json(tooLarge).at("/error/message").asText()).contains("limit of 2048 bytes");
        assertThat(notAList.statusCode()).isEqualTo(400);
        assertThat(json(notAList).at("/error/message").asText()).isEqualTo("\"query\" must be an array");
        assertThat(prompts.statusCode()).isEqualTo(400);
        assertThat(json(prompts).at("/error/message").asText()).contains("as long as \"query\" (1)");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
    }

    @Test
    void shouldBatchConcurrentRequestsTogether() throws Exception {
        // Given
        FakeModel model = new FakeModel(1);
        holder.install(model);

        // When
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            calls.add(client.sendAsync(HttpRequest.newBuilder(URI.create(server.url()).resolve("/v1/score"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"items\":[{\"prompt\":\"p\",\"response\":\"r"
                            + i + "\"}]}")).build(), HttpResponse.BodyHandlers.ofString()));
        }

        // Then
        for (int i = 0; i < calls.size(); i++) {
            HttpResponse<String> response = calls.get(i).get();
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(json(response).at("/rewards/0/reward").asDouble()).isEqualTo(FakeModel.rewardOf("r" + i, 1));
        }
        assertThat(model.batchSizes().stream().mapToInt(Integer::intValue).sum()).isEqualTo(8);
        assertThat(model.batchSizes()).hasSizeLessThan(8);
    }

    @Test
    void shouldDescribeTheModelAndExposePrometheusMetricsAndAStatusPage() throws Exception {
        // Given
        holder.install(new FakeModel(4));
        post("/v1/score", "{\"items\":[{\"prompt\":\"p\",\"response\":\"r\"}]}");

        // When
        HttpResponse<String> models = get("/v1/models");
        HttpResponse<String> prometheus = get("/metrics");
        HttpResponse<String> page = get("/");

        // Then
        assertThat(json(models).at("/models/0/name").asText()).isEqualTo(FakeModel.NAME);
        assertThat(json(models).at("/models/0/version").asLong()).isEqualTo(4L);
        assertThat(json(models).at("/models/0/metrics/accuracy").asDouble()).isEqualTo(0.75);
        assertThat(json(models).at("/serving/items_scored_http").asDouble()).isEqualTo(1.0);
        assertThat(prometheus.statusCode()).isEqualTo(200);
        assertThat(prometheus.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("text/plain"));
        assertThat(prometheus.body()).contains("rewardstream_scorer_items_total{path=\"http\"} 1.0")
                .contains("rewardstream_scorer_model_info{device=\"cpu\",name=\"" + FakeModel.NAME + "\",version=\"4\"} 1")
                .contains("rewardstream_scorer_batch_duration_seconds_bucket{path=\"http\",le=\"0.005\"}")
                .contains("rewardstream_scorer_batch_size_items_count{path=\"http\"} 1")
                .contains("rewardstream_scorer_reward_normalized_count{model_version=\"4\"} 1")
                .contains("rewardstream_build_info{")
                .contains("rewardstream_http_requests_seconds_count{method=\"POST\",route=\"/v1/score\",status=\"200\"} 1")
                .contains("jvm_memory_used_bytes");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<html").contains("/assets/uPlot.iife.min.js").contains("/api/series");
        assertThat(get("/assets/uPlot.iife.min.js").body()).contains("uPlot");
        assertThat(get("/nothing-here").statusCode()).isEqualTo(404);
    }
}
