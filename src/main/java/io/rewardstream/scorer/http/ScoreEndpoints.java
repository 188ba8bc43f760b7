package io.rewardstream.scorer.http;

import com.sun.net.httpserver.HttpExchange;
import io.rewardstream.http.Exchanges;
import io.rewardstream.http.HttpProblem;
import io.rewardstream.model.PromptResponse;
import io.rewardstream.model.RewardModel;
import io.rewardstream.scorer.serving.NoModelException;
import io.rewardstream.scorer.serving.RequestBatcher;
import io.rewardstream.scorer.serving.ScoredBatch;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** POST /v1/score and POST /get_reward (OpenRLHF's remote reward model shape), both through the batcher. */
final class ScoreEndpoints {

    private static final long TIMEOUT_SECONDS = 60;

    private final RequestBatcher batcher;
    private final int maxBodyBytes;
    private final int maxItems;

    ScoreEndpoints(RequestBatcher batcher, int maxBodyBytes, int maxItems) {
        this.batcher = batcher;
        this.maxBodyBytes = maxBodyBytes;
        this.maxItems = maxItems;
    }

    void score(HttpExchange exchange) throws IOException {
        List<PromptResponse> items = ScoreRequests.items(Exchanges.readJson(exchange, maxBodyBytes), maxItems);
        ScoredBatch batch = await(items);
        List<Map<String, Object>> rewards = batch.scores().stream().map(ScoreEndpoints::reward).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model_name", batch.modelName());
        body.put("model_version", batch.modelVersion());
        body.put("rewards", rewards);
        Exchanges.sendJson(exchange, 200, body);
    }

    void getReward(HttpExchange exchange) throws IOException {
        List<PromptResponse> items = ScoreRequests.queries(Exchanges.readJson(exchange, maxBodyBytes), maxItems);
        ScoredBatch batch = await(items);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("rewards", batch.scores().stream().map(RewardModel.Score::reward).toList());
        body.put("rewards_normalized", batch.scores().stream().map(RewardModel.Score::normalized).toList());
        body.put("truncated", batch.scores().stream().map(RewardModel.Score::truncated).toList());
        body.put("model_name", batch.modelName());
        body.put("model_version", batch.modelVersion());
        Exchanges.sendJson(exchange, 200, body);
    }

    private static Map<String, Object> reward(RewardModel.Score score) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("reward", score.reward());
        r.put("reward_normalized", score.normalized());
        r.put("truncated", score.truncated());
        return r;
    }

    private ScoredBatch await(List<PromptResponse> items) {
        try {
            return batcher.submit(items).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof NoModelException none) {
                throw new HttpProblem(503, none.getMessage());
            }
            throw new IllegalStateException("scoring failed", e.getCause());
        } catch (TimeoutException e) {
            throw new HttpProblem(503, "scoring took longer than " + TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpProblem(503, "interrupted while scoring");
        }
    }
}
