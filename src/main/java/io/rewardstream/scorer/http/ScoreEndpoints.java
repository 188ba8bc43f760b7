package io.rewardstream.scorer.http;

import io.rewardstream.config.ConfigKeys;
import io.rewardstream.http.Exchanges;
import io.rewardstream.http.HttpExchange;
import io.rewardstream.http.HttpProblem;
import io.rewardstream.http.HttpSettings;
import io.rewardstream.model.PromptResponse;
import io.rewardstream.model.TextRules;
import io.rewardstream.model.RewardModel;
import io.rewardstream.scorer.serving.NoModelException;
import io.rewardstream.scorer.serving.QueueFullException;
import io.rewardstream.scorer.serving.RequestBatcher;
import io.rewardstream.scorer.serving.ScoredBatch;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * POST /v1/score and POST /get_reward (OpenRLHF's remote reward model shape), both through the batcher. A request
 * holds no thread while it waits for its batch: it is answered from the batcher's thread when its rewards are
 * there, or with 503 and {@code Retry-After} after {@code http.request-timeout}.
 */
final class ScoreEndpoints {

    private final RequestBatcher batcher;
    private final int maxBodyBytes;
    private final int maxItems;
    private final Duration timeout;
    private final TextRules texts;
    private final QuerySplitter splitter;
    private final OpenRlhfSettings.RewardScale scale;

    ScoreEndpoints(RequestBatcher batcher, HttpSettings settings, TextRules texts, OpenRlhfSettings openRlhf) {
        this.texts = texts;
        this.splitter = new QuerySplitter(openRlhf.rules());
        this.scale = openRlhf.scale();
        this.batcher = batcher;
        this.maxBodyBytes = settings.maxBodyBytes();
        this.maxItems = settings.maxItems();
        this.timeout = settings.requestTimeout();
    }

    void score(HttpExchange exchange) throws IOException {
        List<PromptResponse> items = ScoreRequests.items(Exchanges.readJson(exchange, maxBodyBytes), maxItems,
                texts);
        answer(exchange, items, batch -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("model_name", batch.modelName());
            body.put("model_version", batch.modelVersion());
            body.put("rewards", batch.scores().stream().map(ScoreEndpoints::reward).toList());
            return body;
        });
    }

    /**
     * OpenRLHF's remote reward model: {@code rewards} and {@code scores} carry the reward of {@code openrlhf.reward}
     * (normalised by default); {@code extra_logs} holds one number per query for each of the raw and normalised
     * reward, the model version, truncation and whether the whole query had to be scored (OpenRLHF logs each as a
     * metric, so only numbers go there); the model's name and version are also given at the top level.
     */
    void getReward(HttpExchange exchange) throws IOException {
        List<QuerySplitter.Split> splits = ScoreRequests.queries(Exchanges.readJson(exchange, maxBodyBytes), maxItems,
                splitter, texts);
        splits.forEach(split -> batcher.metrics().querySplit(split.rule().label()));
        if (splits.isEmpty()) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("rewards", List.of());
            body.put("scores", List.of());
            body.put("extra_logs", Map.of());
            Exchanges.sendJson(exchange, 200, body);
            return;
        }
        answer(exchange, splits.stream().map(QuerySplitter.Split::item).toList(), batch -> {
            List<Double> served = batch.scores().stream()
                    .map(s -> scale == OpenRlhfSettings.RewardScale.RAW ? s.reward() : s.normalized()).toList();
            Map<String, Object> logs = new LinkedHashMap<>();
            logs.put("reward_raw", batch.scores().stream().map(RewardModel.Score::reward).toList());
            logs.put("reward_normalized", batch.scores().stream().map(RewardModel.Score::normalized).toList());
            logs.put("model_version", batch.scores().stream().map(s -> batch.modelVersion()).toList());
            logs.put("truncated", batch.scores().stream().map(s -> s.truncated() ? 1 : 0).toList());
            logs.put("whole_query", splits.stream().map(s -> s.rule() == QuerySplitter.Rule.WHOLE ? 1 : 0).toList());
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("rewards", served);
            body.put("scores", served);
            body.put("extra_logs", logs);
            body.put("model_name", batch.modelName());
            body.put("model_version", batch.modelVersion());
            body.put("reward_scale", scale.label());
            body.put("split", splits.stream().map(s -> s.rule().label()).toList());
            return body;
        });
    }

    private static Map<String, Object> reward(RewardModel.Score score) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("reward", score.reward());
        r.put("reward_normalized", score.normalized());
        r.put("truncated", score.truncated());
        return r;
    }

    /** Scores {@code items} in the next batch and answers with {@code body} of the batch, or with the failure. */
    private void answer(HttpExchange exchange, List<PromptResponse> items, Function<ScoredBatch, Object> body) {
        CompletableFuture<ScoredBatch> scored = batcher.submit(items).orTimeout(timeout.toMillis(),
                TimeUnit.MILLISECONDS);
        exchange.answerLater(scored.handle((batch, failure) -> {
            if (failure != null) {
                throw new CompletionException(problem(failure));
            }
            Exchanges.sendJson(exchange, 200, body.apply(batch));
            return null;
        }));
    }

    private Throwable problem(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof NoModelException none) {
            return new HttpProblem(503, none.getMessage(), 5);
        }
        if (cause instanceof QueueFullException full) {
            return new HttpProblem(429, full.getMessage(), full.retryAfterSeconds());
        }
        if (cause instanceof RequestBatcher.StoppingException stopping) {
            return new HttpProblem(503, stopping.getMessage(), 5);
        }
        if (cause instanceof TimeoutException) {
            return new HttpProblem(503, "scoring took longer than " + timeout.toMillis() + " ms ("
                    + ConfigKeys.HTTP_REQUEST_TIMEOUT + ")", 1);
        }
        return cause;
    }
}
