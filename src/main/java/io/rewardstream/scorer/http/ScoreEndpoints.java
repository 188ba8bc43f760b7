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

    ScoreEndpoints(RequestBatcher batcher, HttpSettings settings, TextRules texts) {
        this.texts = texts;
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

    void getReward(HttpExchange exchange) throws IOException {
        List<PromptResponse> items = ScoreRequests.queries(Exchanges.readJson(exchange, maxBodyBytes), maxItems,
                texts);
        answer(exchange, items, batch -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("rewards", batch.scores().stream().map(RewardModel.Score::reward).toList());
            body.put("rewards_normalized", batch.scores().stream().map(RewardModel.Score::normalized).toList());
            body.put("truncated", batch.scores().stream().map(RewardModel.Score::truncated).toList());
            body.put("model_name", batch.modelName());
            body.put("model_version", batch.modelVersion());
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
