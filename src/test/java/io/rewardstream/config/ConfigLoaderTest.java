package io.rewardstream.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rewardstream.common.BadInputException;
import io.rewardstream.runtime.Device;
import io.rewardstream.scorer.ScorerConfig;
import io.rewardstream.scorer.ScorerSettings;
import io.rewardstream.trainer.TrainerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    private static final Map<String, String> REQUIRED = Map.of("kafka.bootstrap.servers", "b:9092",
            "schema.registry.url", "mock://c");

    @TempDir
    Path temp;

    @Test
    void shouldDefaultToExactlyOnceAcksAllAStateDirAndTheIssueDefaults() {
        RewardStreamConfig config = ConfigLoader.load(null, Map.of(), REQUIRED);

        assertThat(config.kafka()).containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
                .containsEntry("producer.acks", "all").containsKey(StreamsConfig.STATE_DIR_CONFIG)
                .containsEntry(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "b:9092");
        assertThat(TrainerConfig.settings(config).interval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(TrainerConfig.settings(config).window()).isEqualTo(Duration.ofDays(7));
        assertThat(TrainerConfig.settings(config).holdoutFraction()).isEqualTo(0.1);
    }

    @Test
    void shouldLayerFileThenEnvironmentThenCommandLine() throws Exception {
        Path file = temp.resolve("trainer.properties");
        Files.writeString(file, """
                training.interval=30s
                training.min-pairs=300
                training.min-new-pairs=50
                training.window=2d
                training.holdout-fraction=0.2
                kafka.max.poll.records=100
                """);

        RewardStreamConfig config = ConfigLoader.load(file,
                Map.of("REWARDSTREAM_TRAINING_MIN_PAIRS", "400", "KAFKA_MAX_POLL_RECORDS", "200", "KAFKA_HOME", "/x"),
                REQUIRED);

        assertThat(TrainerConfig.settings(config).interval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(TrainerConfig.settings(config).minPairs()).isEqualTo(400);
        assertThat(TrainerConfig.settings(config).minNewPairs()).isEqualTo(50);
        assertThat(TrainerConfig.settings(config).window()).isEqualTo(Duration.ofDays(2));
        assertThat(TrainerConfig.settings(config).holdoutFraction()).isEqualTo(0.2);
        assertThat(config.kafka()).containsEntry("max.poll.records", "200").doesNotContainKey("home");
    }

    @Test
    void shouldFailNamingAnUnknownKey() throws Exception {
        Path file = temp.resolve("bad.properties");
        Files.writeString(file, "training.min-pair=3\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), REQUIRED)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("'training.min-pair'").hasMessageContaining("unknown");
    }

    @Test
    void shouldFailNamingTheKeyOfABadDuration() {
        assertThatThrownBy(() -> TrainerConfig.settings(ConfigLoader.load(null,
                Map.of("REWARDSTREAM_TRAINING_INTERVAL", "soon"), REQUIRED)))
                .isInstanceOf(BadInputException.class).hasMessageContaining("'training.interval'")
                .hasMessageContaining("soon");
    }

    @Test
    void shouldFailNamingTheKeyOfAnOutOfRangeValue() {
        assertThatThrownBy(() -> TrainerConfig.settings(ConfigLoader.load(null,
                Map.of("REWARDSTREAM_TRAINING_HOLDOUT_FRACTION", "1.5"), REQUIRED))).isInstanceOf(BadInputException.class).hasMessageContaining("'training.holdout-fraction'");
    }

    @Test
    void shouldReadTheTrainingDeviceAndNameItsKeyWhenItIsNotADevice() {
        assertThat(TrainerConfig.settings(ConfigLoader.load(null, Map.of(), REQUIRED)).device()).isEqualTo(Device.AUTO);
        assertThat(TrainerConfig.settings(ConfigLoader.load(null, Map.of("REWARDSTREAM_TRAINING_DEVICE", "cuda:1"),
                REQUIRED)).device()).isEqualTo(Device.cuda(1));
        assertThatThrownBy(() -> TrainerConfig.settings(ConfigLoader.load(null,
                Map.of("REWARDSTREAM_TRAINING_DEVICE", "tpu"), REQUIRED))).isInstanceOf(BadInputException.class)
                .hasMessageContaining("'training.device'").hasMessageContaining("tpu");
    }

    @Test
    void shouldRequireTheBootstrapServers() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("schema.registry.url", "mock://c")))
                .isInstanceOf(BadInputException.class).hasMessageContaining("bootstrap.servers");
    }

    @Test
    void shouldParseShortAndIsoDurations() {
        assertThat(Durations.parse("k", "500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("k", "5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("k", "7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Durations.parse("k", "PT2H")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.format(Duration.ofMinutes(5))).isEqualTo("5m");
    }

    @Test
    void shouldPassRegistryClientSettingsFromTheFileAndTheEnvironmentWithoutTheirPrefix() throws Exception {
        Path file = temp.resolve("secure.properties");
        Files.writeString(file, """
                registry.basic.auth.credentials.source=USER_INFO
                registry.schema.registry.ssl.truststore.location=/etc/ssl/registry.jks
                """);

        RewardStreamConfig config = ConfigLoader.load(file,
                Map.of("REWARDSTREAM_REGISTRY_BASIC_AUTH_USER_INFO", "annotator:secret"), REQUIRED);

        assertThat(config.registryClientConfig()).containsEntry("schema.registry.url", "mock://c")
                .containsEntry("basic.auth.credentials.source", "USER_INFO")
                .containsEntry("basic.auth.user.info", "annotator:secret")
                .containsEntry("schema.registry.ssl.truststore.location", "/etc/ssl/registry.jks")
                .hasSize(4);
        assertThat(ScorerConfig.connection(config).registry())
                .containsEntry("basic.auth.user.info", "annotator:secret").doesNotContainKey("schema.registry.url");
    }

    @Test
    void shouldAcceptADeprecatedSpellingUnderItsNewKey() throws Exception {
        Path file = temp.resolve("old.properties");
        Files.writeString(file, "scoring.batch.size=16\nscoring.linger.ms=35\n");

        RewardStreamConfig config = ConfigLoader.load(file, Map.of("REWARDSTREAM_HTTP_MAX_ITEMS", "7"), REQUIRED);

        ScorerSettings settings = ScorerConfig.settings(config, null);
        assertThat(settings.batchSize()).isEqualTo(16);
        assertThat(settings.linger()).isEqualTo(Duration.ofMillis(35));
        assertThat(settings.http().maxItems()).isEqualTo(7);
    }

    @Test
    void shouldNameBothSpellingsWhenADeprecatedKeyHasABadValue() throws Exception {
        Path file = temp.resolve("old-bad.properties");
        Files.writeString(file, "scoring.batch.size=0\n");

        assertThatThrownBy(() -> ScorerConfig.settings(ConfigLoader.load(file, Map.of(), REQUIRED), null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'scoring.batch-size'")
                .hasMessageContaining("written as scoring.batch.size");
    }
}
