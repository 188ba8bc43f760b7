package io.rewardstream.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The project's own configuration keys and their defaults (docs/trainer.md explains each). */
public final class ConfigKeys {

    public static final String APPLICATION_ID = "application.id";
    public static final String STATE_DIR = "state.dir";
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";

    /** Every known key with its default, in documentation order. */
    public static final Map<String, String> DEFAULTS;

    static {
        Map<String, String> d = new LinkedHashMap<>();
        TrainerSettings t = TrainerSettings.defaults();
        Topics topics = Topics.defaults();
        d.put(APPLICATION_ID, "rewardstream-trainer");
        d.put(STATE_DIR, Path.of(System.getProperty("java.io.tmpdir"), "rewardstream-state").toString());
        d.put(SCHEMA_REGISTRY_URL, "");
        d.put("topics.preferences", topics.preferences());
        d.put("topics.responses", topics.responses());
        d.put("topics.rewards", topics.rewards());
        d.put("topics.models", topics.models());
        d.put("topics.metrics", topics.metrics());
        d.put("topics.dead-letters", topics.deadLetters());
        d.put("topics.partitions", "6");
        d.put("model.name", t.modelName());
        d.put("training.interval", Durations.format(t.interval()));
        d.put("training.min-pairs", Integer.toString(t.minPairs()));
        d.put("training.min-new-pairs", Integer.toString(t.minNewPairs()));
        d.put("training.window", Durations.format(t.window()));
        d.put("training.holdout-fraction", Double.toString(t.holdoutFraction()));
        d.put("training.seed", Long.toString(t.seed()));
        d.put("training.encode-batch", Integer.toString(t.encodeBatch()));
        d.put("training.encode-linger", Durations.format(t.encodeLinger()));
        d.put("gate.tolerance", Double.toString(t.gateTolerance()));
        d.put("gate.min-accuracy", Double.toString(t.gateFloor()));
        d.put("prequential.window", Durations.format(t.prequentialWindow()));
        d.put("prequential.advance", Durations.format(t.prequentialAdvance()));
        d.put("drift.delta", Double.toString(t.driftDelta()));
        d.put("drift.lambda", Double.toString(t.driftLambda()));
        d.put("drift.min-pairs", Integer.toString(t.driftMinPairs()));
        d.put("drift.retrain", Boolean.toString(t.driftRetrain()));
        d.put("encoder.name", io.rewardstream.model.EncoderSource.DEFAULT);
        d.put("encoder.max-length", "256");
        d.put("encoder.threads", "2");
        d.put("scoring.application.id", "rewardstream-scorer");
        d.put("scoring.batch.size", "64");
        d.put("scoring.linger.ms", "20");
        d.put("scoring.device", "auto");
        d.put("scoring.model.threads", "0");
        d.put("http.host", "127.0.0.1");
        d.put("http.port", "8081");
        d.put("http.max.body.bytes", Integer.toString(4 << 20));
        d.put("http.max.items", "1024");
        DEFAULTS = java.util.Collections.unmodifiableMap(d);
    }

    private ConfigKeys() {
    }
}
