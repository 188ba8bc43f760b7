package io.rewardstream.scorer;

import io.rewardstream.config.ConfigException;
import io.rewardstream.config.ConfigKeys;
import io.rewardstream.config.KeyValues;
import io.rewardstream.encoder.EncoderPool;
import io.rewardstream.encoder.Precision;
import io.rewardstream.http.HttpSettings;
import io.rewardstream.model.ModelLoader;
import io.rewardstream.model.PromptCache;
import io.rewardstream.model.TextRules;
import io.rewardstream.runtime.Device;
import io.rewardstream.scorer.http.OpenRlhfSettings;
import io.rewardstream.scorer.serving.RequestBatcher;
import io.rewardstream.scorer.stream.Batching;
import java.time.Duration;

/**
 * The scorer role's own settings, validated on construction (a bad value fails fast with a
 * {@link ConfigException} naming its key). Built by {@link ScorerConfig} from the layered configuration.
 *
 * @param applicationId Kafka Streams application.id: consumer group, state and internal topic prefix
 *                      (scoring.application-id)
 * @param batchSize     responses per micro-batch (scoring.batch-size)
 * @param linger        longest a response waits for its batch to fill, in wall-clock time (scoring.linger)
 * @param batchesInFlight micro-batches of a stream task scored off its stream thread at once, 0 to score on the
 *                      stream thread (scoring.batches-in-flight)
 * @param device        where the encoder runs: auto, cpu or cuda:N (scoring.device)
 * @param modelThreads  ONNX Runtime intra-op threads, 0 for the runtime default (scoring.model-threads)
 * @param http          the HTTP port (http.*)
 * @param maxTextChars  longest prompt or response scored, in characters (input.max-text-chars)
 * @param maxBatchTokens  tokens per batch of HTTP requests at most (scoring.max-batch-tokens)
 * @param maxQueuedTokens tokens of HTTP requests waiting for a batch at most (scoring.max-queued-tokens)
 * @param openRlhf      how POST /get_reward splits queries and which reward it answers (openrlhf.*)
 * @param encoding      the encoder's arithmetic on a CPU and the prompt cache (scoring.precision,
 *                      scoring.prompt-cache)
 */
public record ScorerSettings(String applicationId, int batchSize, Duration linger, int batchesInFlight,
                             Device device, int modelThreads,
                             HttpSettings http, int maxTextChars, int maxBatchTokens, long maxQueuedTokens,
                             OpenRlhfSettings openRlhf, Encoding encoding) {

    /**
     * How the scorer runs its encoders.
     *
     * @param precision     fp32 or int8 on a CPU (scoring.precision)
     * @param promptEntries prompt vectors kept for reuse, 0 for none (scoring.prompt-cache)
     */
    public record Encoding(Precision precision, int promptEntries) {

        public Encoding {
            require(precision != null, ConfigKeys.SCORING_PRECISION, "must be fp32 or int8");
            require(promptEntries >= 0, ConfigKeys.SCORING_PROMPT_CACHE, "must be 0 (no cache) or more");
        }
    }

    /** The most micro-batches of a stream task that may be in flight off its stream thread. */
    public static final int MAX_BATCHES_IN_FLIGHT = 16;

    /** Every setting at its default (the defaults of {@code ConfigKeys}). */
    public static ScorerSettings defaults() {
        return ScorerConfig.settings(KeyValues.defaults());
    }

    public ScorerSettings {
        require(applicationId != null && !applicationId.isBlank(), ConfigKeys.SCORING_APPLICATION_ID,
                "must not be empty");
        require(batchSize >= 1 && batchSize <= 65_536, ConfigKeys.SCORING_BATCH_SIZE, "must be between 1 and 65536");
        require(linger != null && !linger.isNegative() && linger.toMillis() >= 1, ConfigKeys.SCORING_LINGER,
                "must be at least 1ms");
        require(batchesInFlight >= 0 && batchesInFlight <= MAX_BATCHES_IN_FLIGHT, ConfigKeys.SCORING_BATCHES_IN_FLIGHT,
                "must be between 0 (score on the stream thread) and " + MAX_BATCHES_IN_FLIGHT);
        require(device != null, ConfigKeys.SCORING_DEVICE, "must be auto, cpu or cuda:N");
        require(modelThreads >= 0, ConfigKeys.SCORING_MODEL_THREADS, "must be 0 (runtime default) or more");
        require(http != null, ConfigKeys.HTTP_PORT, "must be given");
        require(maxTextChars >= 1, ConfigKeys.INPUT_MAX_TEXT_CHARS, "must be at least 1");
        require(maxBatchTokens >= 16, ConfigKeys.SCORING_MAX_BATCH_TOKENS, "must be at least 16");
        require(maxQueuedTokens >= maxBatchTokens, ConfigKeys.SCORING_MAX_QUEUED_TOKENS,
                "must be at least " + ConfigKeys.SCORING_MAX_BATCH_TOKENS + " (" + maxBatchTokens + ")");
        require(openRlhf != null, ConfigKeys.OPENRLHF_REWARD, "must be given");
        require(encoding != null, ConfigKeys.SCORING_PRECISION, "must be given");
    }

    /** How HTTP scoring requests are batched and how much of them may wait. */
    public RequestBatcher.Limits requestLimits() {
        return new RequestBatcher.Limits(batchSize, maxBatchTokens, linger, maxQueuedTokens);
    }

    /** Loads models as these settings say: device, threads, precision, and {@code prompts} for prompt vectors. */
    public ModelLoader modelLoader(PromptCache prompts) {
        // One pool for every model of the instance: releases of the same frozen encoder share its session.
        return new ModelLoader(new EncoderPool(), modelThreads, device, encoding.precision(), prompts);
    }

    /** How the scoring stream batches responses. */
    public Batching batching() {
        return new Batching(batchSize, linger, batchesInFlight, applicationId, texts());
    }

    /** What a prompt or response must be to be scored, on the stream and over HTTP. */
    public TextRules texts() {
        return new TextRules(maxTextChars, ConfigKeys.INPUT_MAX_TEXT_CHARS);
    }

    public ScorerSettings withBatchSize(int size) {
        return new ScorerSettings(applicationId, size, linger, batchesInFlight, device, modelThreads, http,
                maxTextChars, maxBatchTokens, maxQueuedTokens, openRlhf, encoding);
    }

    public ScorerSettings withLinger(Duration value) {
        return new ScorerSettings(applicationId, batchSize, value, batchesInFlight, device, modelThreads, http,
                maxTextChars, maxBatchTokens, maxQueuedTokens, openRlhf, encoding);
    }

    public ScorerSettings withBatchesInFlight(int value) {
        return new ScorerSettings(applicationId, batchSize, linger, value, device, modelThreads, http, maxTextChars,
                maxBatchTokens, maxQueuedTokens, openRlhf, encoding);
    }

    public ScorerSettings withHttp(String host, int port, int bodyBytes) {
        return withHttp(http.withAddress(host, port).withBodyLimits(bodyBytes, http.maxItems()));
    }

    public ScorerSettings withHttp(HttpSettings value) {
        return new ScorerSettings(applicationId, batchSize, linger, batchesInFlight, device, modelThreads, value,
                maxTextChars, maxBatchTokens, maxQueuedTokens, openRlhf, encoding);
    }

    public ScorerSettings withDevice(Device value, int threads) {
        return new ScorerSettings(applicationId, batchSize, linger, batchesInFlight, value, threads, http, maxTextChars,
                maxBatchTokens, maxQueuedTokens, openRlhf, encoding);
    }

    public ScorerSettings withRequestBatching(int tokensPerBatch, long queuedTokens) {
        return new ScorerSettings(applicationId, batchSize, linger, batchesInFlight, device, modelThreads, http,
                maxTextChars, tokensPerBatch, queuedTokens, openRlhf, encoding);
    }

    public ScorerSettings withOpenRlhf(OpenRlhfSettings value) {
        return new ScorerSettings(applicationId, batchSize, linger, batchesInFlight, device, modelThreads, http,
                maxTextChars, maxBatchTokens, maxQueuedTokens, value, encoding);
    }

    public ScorerSettings withEncoding(Encoding value) {
        return new ScorerSettings(applicationId, batchSize, linger, batchesInFlight, device, modelThreads, http,
                maxTextChars, maxBatchTokens, maxQueuedTokens, openRlhf, value);
    }

    public ScorerSettings withApplicationId(String id) {
        return new ScorerSettings(id, batchSize, linger, batchesInFlight, device, modelThreads, http, maxTextChars,
                maxBatchTokens, maxQueuedTokens, openRlhf, encoding);
    }

    private static void require(boolean ok, String key, String problem) {
        if (!ok) {
            throw new ConfigException(key, problem);
        }
    }
}
