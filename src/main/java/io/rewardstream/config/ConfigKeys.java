package io.rewardstream.config;

import io.rewardstream.encoder.EncoderSource;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The project's own configuration keys and their defaults, written here once (docs/trainer.md and docs/scorer.md
 * explain each). Keys are lower case, words joined by '-', groups by '.'; the Kafka and Confluent names
 * {@code application.id}, {@code state.dir} and {@code schema.registry.url} keep their own spelling.
 */
public final class ConfigKeys {

    public static final String APPLICATION_ID = "application.id";
    public static final String STATE_DIR = "state.dir";
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String TOPICS_PARTITIONS = "topics.partitions";
    public static final String MODEL_NAME = "model.name";
    public static final String RELEASES_SIGNING_KEY = "releases.signing-key";
    public static final String RELEASES_VERIFY_KEY = "releases.verify-key";
    public static final String INPUT_MAX_TEXT_CHARS = "input.max-text-chars";
    public static final String TRAINING_MAX_PAIRS_PER_EVENT = "training.max-pairs-per-event";

    public static final String SCORING_APPLICATION_ID = "scoring.application-id";
    public static final String SCORING_BATCH_SIZE = "scoring.batch-size";
    public static final String SCORING_LINGER = "scoring.linger";
    public static final String SCORING_BATCHES_IN_FLIGHT = "scoring.batches-in-flight";
    public static final String SCORING_DEVICE = "scoring.device";
    public static final String SCORING_MODEL_THREADS = "scoring.model-threads";
    public static final String SCORING_PRECISION = "scoring.precision";
    public static final String SCORING_PROMPT_CACHE = "scoring.prompt-cache";
    public static final String HTTP_HOST = "http.host";
    public static final String HTTP_PORT = "http.port";
    public static final String HTTP_MAX_BODY_BYTES = "http.max-body-bytes";
    public static final String HTTP_MAX_ITEMS = "http.max-items";
    public static final String HTTP_IDLE_TIMEOUT = "http.idle-timeout";
    public static final String HTTP_READ_TIMEOUT = "http.read-timeout";
    public static final String HTTP_REQUEST_TIMEOUT = "http.request-timeout";
    public static final String HTTP_MAX_CONNECTIONS = "http.max-connections";
    public static final String HTTP_MAX_CONCURRENT_REQUESTS = "http.max-concurrent-requests";
    public static final String SCORING_MAX_BATCH_TOKENS = "scoring.max-batch-tokens";
    public static final String SCORING_MAX_QUEUED_TOKENS = "scoring.max-queued-tokens";
    public static final String OPENRLHF_REWARD = "openrlhf.reward";
    public static final String OPENRLHF_ASSISTANT_MARKERS = "openrlhf.assistant-markers";
    public static final String OPENRLHF_END_TOKENS = "openrlhf.end-tokens";
    public static final String HTTP_BEARER_TOKEN = "http.bearer-token";
    public static final String HTTP_TLS_KEYSTORE = "http.tls.keystore";
    public static final String HTTP_TLS_KEYSTORE_PASSWORD = "http.tls.keystore-password";

    /** Every known key with its default, in documentation order. */
    public static final Map<String, String> DEFAULTS;

    /**
     * Kafka Streams settings every role starts from, before the user's {@code kafka.*} settings: exactly-once v2,
     * acks=all, every internal resource named, and the processing-exception handler applied to punctuators too
     * (what Kafka Streams 5.0 makes the default).
     */
    public static final Map<String, Object> KAFKA_DEFAULTS = Map.of(
            StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2,
            StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all",
            StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true,
            StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);

    /** A key spelled the old way: the key it now is, and how an old value reads under the new key. */
    record Deprecated(String key, UnaryOperator<String> value) {
    }

    /** Spellings from before the scorer's keys took the common style; they still work, with a warning. */
    static final Map<String, Deprecated> DEPRECATED = Map.of(
            "scoring.application.id", new Deprecated(SCORING_APPLICATION_ID, UnaryOperator.identity()),
            "scoring.batch.size", new Deprecated(SCORING_BATCH_SIZE, UnaryOperator.identity()),
            "scoring.linger.ms", new Deprecated(SCORING_LINGER, ms -> ms.trim() + "ms"),
            "scoring.model.threads", new Deprecated(SCORING_MODEL_THREADS, UnaryOperator.identity()),
            "http.max.body.bytes", new Deprecated(HTTP_MAX_BODY_BYTES, UnaryOperator.identity()),
            "http.max.items", new Deprecated(HTTP_MAX_ITEMS, UnaryOperator.identity()));

    static {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(APPLICATION_ID, "rewardstream-trainer");
        d.put(STATE_DIR, Path.of(System.getProperty("java.io.tmpdir"), "rewardstream-state").toString());
        d.put(SCHEMA_REGISTRY_URL, "");
        Topics topics = Topics.defaults();
        d.put("topics.preferences", topics.preferences());
        d.put("topics.responses", topics.responses());
        d.put("topics.rewards", topics.rewards());
        d.put("topics.models", topics.models());
        d.put("topics.metrics", topics.metrics());
        d.put("topics.dead-letters", topics.deadLetters());
        d.put("topics.artifacts", topics.artifacts());
        d.put(TOPICS_PARTITIONS, "6");
        d.put(MODEL_NAME, "reward-model");
        // Empty: releases are published unsigned, and scorers accept unsigned releases.
        d.put(RELEASES_SIGNING_KEY, "");
        d.put(RELEASES_VERIFY_KEY, "");
        d.put("training.interval", "5m");
        d.put("training.min-pairs", "1000");
        d.put("training.min-new-pairs", "200");
        d.put("training.window", "7d");
        d.put("training.holdout-fraction", "0.1");
        d.put("training.seed", "42");
        // 32 pairwise events are up to 96 texts: three full encoder batches of 32.
        d.put("training.encode-batch", "32");
        d.put("training.encode-linger", "100ms");
        // A full ranking of 45 responses (990 pairs) fits; one of 1,000 (499,500 pairs) does not.
        d.put(TRAINING_MAX_PAIRS_PER_EVENT, "1000");
        // The slow path is off by default: a fine-tune takes tens of minutes of the trainer's cores.
        d.put("training.encoder-training", "frozen");
        d.put("training.fine-tune-interval", "6h");
        // Where fine-tunes run: CUDA when PyTorch sees a device (a -Pcuda build on a CUDA host), else the CPU.
        d.put("training.device", "auto");
        d.put("gate.tolerance", "0.01");
        d.put("gate.min-accuracy", "0.55");
        // tolerance: every retrain that is not worse is promoted (fresher data); improvement: only a measured gain.
        d.put("gate.policy", "tolerance");
        d.put("gate.min-gain", "0.0");
        d.put("gate.significance", "0.05");
        d.put("prequential.window", "10m");
        d.put("prequential.advance", "1m");
        d.put("drift.delta", "0.05");
        d.put("drift.lambda", "30.0");
        d.put("drift.min-pairs", "30");
        d.put("drift.retrain", "true");
        d.put("encoder.name", EncoderSource.DEFAULT);
        d.put("encoder.max-length", "256");
        d.put("encoder.threads", "2");
        // Far beyond what encoder.max-length tokens need (256 tokens are about 1,000 characters of English).
        d.put(INPUT_MAX_TEXT_CHARS, "100000");
        d.put(SCORING_APPLICATION_ID, "rewardstream-scorer");
        // 64 responses per batch, encoded in calls of at most 32 texts cut where their lengths jump (SubBatches);
        // 20 ms keeps p99 latency low at low load.
        d.put(SCORING_BATCH_SIZE, "64");
        d.put(SCORING_LINGER, "20ms");
        // Batches scored on the stream thread: on a 2-core CPU host the model competes with the stream thread for the
        // cores, and scoring off it lowered throughput and widened the latency tail (docs/scorer.md). 2 on a GPU host.
        d.put(SCORING_BATCHES_IN_FLIGHT, "0");
        d.put(SCORING_DEVICE, "auto");
        d.put(SCORING_MODEL_THREADS, "0");
        // HTTP requests are batched by tokens (as text-embeddings-inference does): 64 items of 256 tokens.
        d.put(SCORING_MAX_BATCH_TOKENS, "16384");
        // Tokens waiting for a batch at most; beyond, 429 with Retry-After. 1,024 long items.
        d.put(SCORING_MAX_QUEUED_TOKENS, "524288");
        // int8 products with per-token scales: about twice fp32's rate, rewards within the README's tolerance.
        d.put(SCORING_PRECISION, "int8");
        // Prompt vectors kept (about 1.6 KB each for a 384-wide encoder): 10,000 prompts take about 16 MB.
        d.put(SCORING_PROMPT_CACHE, "10000");
        d.put(HTTP_HOST, "127.0.0.1");
        d.put(HTTP_PORT, "8081");
        d.put(HTTP_MAX_BODY_BYTES, Integer.toString(4 << 20));
        d.put(HTTP_MAX_ITEMS, "1024");
        // A connection silent this long is closed: between keep-alive requests, and while a body stalls.
        d.put(HTTP_IDLE_TIMEOUT, "30s");
        // A request body must have arrived whole within this (a slow sender cannot hold a thread for long).
        d.put(HTTP_READ_TIMEOUT, "30s");
        // A scoring request waits this long for its rewards, then gets 503 with Retry-After (OpenRLHF waits 180 s).
        d.put(HTTP_REQUEST_TIMEOUT, "60s");
        d.put(HTTP_MAX_CONNECTIONS, "2048");
        // Requests with a body in progress at once: an RLHF trainer may post one request per sample of a rollout.
        d.put(HTTP_MAX_CONCURRENT_REQUESTS, "1024");
        // Rewards on a scale that stays put across model versions; the raw reward goes along in extra_logs.
        d.put(OPENRLHF_REWARD, "normalized");
        d.put(OPENRLHF_ASSISTANT_MARKERS, "chatml,llama3,gemma,phi3,mistral,hh,alpaca,deepseek");
        d.put(OPENRLHF_END_TOKENS, String.join(",", "<|im_end|>", "<|eot_id|>", "<|eom_id|>", "<|end_of_text|>",
                "<|finetune_right_pad_id|>", "<end_of_turn>", "<eos>", "<|end|>", "<|endoftext|>", "</s>", "<pad>",
                "[PAD]", "<｜end▁of▁sentence｜>"));
        // Empty: no token and plain HTTP (the port is on loopback unless http.host says otherwise).
        d.put(HTTP_BEARER_TOKEN, "");
        d.put(HTTP_TLS_KEYSTORE, "");
        d.put(HTTP_TLS_KEYSTORE_PASSWORD, "");
        DEFAULTS = Collections.unmodifiableMap(d);
    }

    private ConfigKeys() {
    }
}
