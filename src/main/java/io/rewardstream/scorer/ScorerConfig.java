package io.rewardstream.scorer;

import io.rewardstream.config.ConfigException;
import io.rewardstream.config.ConfigKeys;
import io.rewardstream.config.Connection;
import io.rewardstream.config.KeyValues;
import io.rewardstream.config.RewardStreamConfig;
import io.rewardstream.encoder.Precision;
import io.rewardstream.http.HttpSettings;
import io.rewardstream.runtime.Device;
import io.rewardstream.scorer.http.OpenRlhfSettings;
import io.rewardstream.signing.ReleaseVerifier;
import java.nio.file.Path;

/** Reads the scorer's settings and connection from the layered configuration (keys scoring.*, http.*). */
public final class ScorerConfig {

    private ScorerConfig() {
    }

    /** @param httpPort the --http-port option, which wins over http.port when given */
    public static ScorerSettings settings(RewardStreamConfig config, Integer httpPort) {
        KeyValues values = config.values();
        return settings(httpPort == null ? values : values.with(ConfigKeys.HTTP_PORT, httpPort.toString()));
    }

    /** The scorer's settings from layered values (also without a cluster, for {@code serve}). */
    public static ScorerSettings settings(KeyValues v) {
        try {
            return new ScorerSettings(v.string(ConfigKeys.SCORING_APPLICATION_ID), v.integer(ConfigKeys.SCORING_BATCH_SIZE),
                    v.duration(ConfigKeys.SCORING_LINGER), v.integer(ConfigKeys.SCORING_BATCHES_IN_FLIGHT), device(v),
                    v.integer(ConfigKeys.SCORING_MODEL_THREADS),
                    HttpSettings.of(v), v.integer(ConfigKeys.INPUT_MAX_TEXT_CHARS),
                    v.integer(ConfigKeys.SCORING_MAX_BATCH_TOKENS), v.integer(ConfigKeys.SCORING_MAX_QUEUED_TOKENS),
                    OpenRlhfSettings.of(v), new ScorerSettings.Encoding(precision(v),
                    v.integer(ConfigKeys.SCORING_PROMPT_CACHE)));
        } catch (ConfigException e) {
            throw v.spelled(e);
        }
    }

    private static Precision precision(KeyValues v) {
        return v.parsed(ConfigKeys.SCORING_PRECISION, text -> Precision.parse(ConfigKeys.SCORING_PRECISION, text),
                "not a precision: use fp32 or int8");
    }

    private static Device device(KeyValues v) {
        return v.parsed(ConfigKeys.SCORING_DEVICE, text -> Device.parse(ConfigKeys.SCORING_DEVICE, text),
                "not a device: use auto, cpu or cuda:N");
    }

    /**
     * Releases of {@code model.name} on the models topic, verified with {@code releases.verify-key} (a PEM Ed25519
     * public key) when it is set: then unsigned or wrongly signed releases are refused.
     *
     * @throws ConfigException naming the key when the file cannot be read or holds no Ed25519 public key
     */
    public static ModelSource.Releases releases(RewardStreamConfig config) {
        KeyValues v = config.values();
        String file = v.string(ConfigKeys.RELEASES_VERIFY_KEY).strip();
        return new ModelSource.Releases(v.string(ConfigKeys.MODEL_NAME),
                file.isEmpty() ? null : ReleaseVerifier.load(Path.of(file), ConfigKeys.RELEASES_VERIFY_KEY));
    }

    /** Same cluster, registry, topics and Kafka settings as the trainer; state in its own folder. */
    public static Connection connection(RewardStreamConfig config) {
        Connection shared = config.connection();
        return shared.withStateDir(shared.stateDir().resolve("scorer"));
    }
}
