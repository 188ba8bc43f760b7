package io.rewardstream.scorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rewardstream.config.ConfigException;
import io.rewardstream.config.Connection;
import io.rewardstream.config.KeyValues;
import io.rewardstream.config.Topics;
import io.rewardstream.deadletter.DeadLetterHandler;
import io.rewardstream.encoder.Precision;
import io.rewardstream.scorer.stream.ScorerStreamsConfig;
import io.rewardstream.runtime.Device;
import io.rewardstream.streams.StreamsProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class ScorerSettingsTest {

    @Test
    void shouldDefaultToSmallBatchesShortLingerAutoDeviceAndLoopback() {
        // When
        ScorerSettings defaults = ScorerSettings.defaults();

        // Then
        assertThat(defaults.batchSize()).isEqualTo(64);
        assertThat(defaults.linger()).isEqualTo(Duration.ofMillis(20));
        assertThat(defaults.device()).isEqualTo(Device.AUTO);
        assertThat(defaults.http().host()).isEqualTo("127.0.0.1");
        assertThat(defaults.http().maxBodyBytes()).isEqualTo(4 << 20);
        assertThat(defaults.encoding().precision()).isEqualTo(Precision.INT8);
        assertThat(defaults.encoding().promptEntries()).isEqualTo(10_000);
    }

    @Test
    void shouldRefuseBadValuesNamingTheirKey() {
        // Given
        ScorerSettings d = ScorerSettings.defaults();

        // When / Then
        assertThatThrownBy(() -> d.withBatchSize(0)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'scoring.batch-size'");
        assertThatThrownBy(() -> d.withLinger(Duration.ZERO)).hasMessageContaining("'scoring.linger'");
        assertThatThrownBy(() -> d.withBatchesInFlight(-1)).hasMessageContaining("'scoring.batches-in-flight'");
        assertThatThrownBy(() -> d.withBatchesInFlight(17)).hasMessageContaining("'scoring.batches-in-flight'");
        assertThatThrownBy(() -> d.withHttp("127.0.0.1", 70_000, 4096)).hasMessageContaining("'http.port'");
        assertThatThrownBy(() -> d.withHttp("127.0.0.1", 0, 10)).hasMessageContaining("'http.max-body-bytes'");
        assertThatThrownBy(() -> d.withApplicationId(" ")).hasMessageContaining("'scoring.application-id'");
        assertThatThrownBy(() -> new ScorerSettings.Encoding(Precision.INT8, -1))
                .hasMessageContaining("'scoring.prompt-cache'");
    }

    @Test
    void shouldReadPrecisionAndPromptCacheFromTheirKeysAndNameAWrongOne() {
        KeyValues fp32 = KeyValues.defaults().with("scoring.precision", "fp32").with("scoring.prompt-cache", "0");

        ScorerSettings read = ScorerConfig.settings(fp32);

        assertThat(read.encoding()).isEqualTo(new ScorerSettings.Encoding(Precision.FP32, 0));
        assertThatThrownBy(() -> ScorerConfig.settings(KeyValues.defaults().with("scoring.precision", "fp16")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("scoring.precision");
    }

    @Test
    void shouldPollAQuarterOfTheLingerSoThatLingeringBatchesAreScoredOnTime() {
        assertThat(ScorerStreamsConfig.roleSettings(Duration.ofMillis(20)))
                .containsEntry("poll.ms", 5L).containsEntry("commit.interval.ms", 20L);
        assertThat(ScorerStreamsConfig.roleSettings(Duration.ofMillis(2))).containsEntry("poll.ms", 1L);
        assertThat(ScorerStreamsConfig.roleSettings(Duration.ofSeconds(5))).containsEntry("poll.ms", 100L);
    }

    @Test
    void shouldCommitOnExactlyOncesDefaultIntervalWhenBatchesAreScoredOffTheStreamThread() {
        assertThat(ScorerStreamsConfig.roleSettings(Duration.ofMillis(20), 2))
                .containsEntry("poll.ms", 5L).containsEntry("commit.interval.ms", 100L);
        assertThat(ScorerStreamsConfig.roleSettings(Duration.ofMillis(20), 0)).containsEntry("commit.interval.ms", 20L);
    }

    @Test
    void shouldGiveTheStreamProducerARetryBackoffThatFollowsTheLingerWithinBounds() {
        // Given the properties a scorer hands to Kafka Streams, with and without a user's own setting
        Connection connection = new Connection("127.0.0.1:9092", "mock://settings", Topics.defaults(),
                Path.of("state"), Map.of(), Map.of());
        Connection userSet = new Connection("127.0.0.1:9092", "mock://settings", Topics.defaults(),
                Path.of("state"), Map.of("producer.retry.backoff.ms", "250"), Map.of());

        // When the stream thread's producer configuration is derived from them
        Map<String, Object> atDefaultLinger = producerConfigs(connection, Duration.ofMillis(20));
        Map<String, Object> atShortLinger = producerConfigs(connection, Duration.ofMillis(2));
        Map<String, Object> atLongLinger = producerConfigs(connection, Duration.ofSeconds(5));
        Map<String, Object> overridden = producerConfigs(userSet, Duration.ofMillis(20));

        // Then it reaches the producer as a quarter of the linger, kept within [5, 100] ms, and a user's value wins
        assertThat(atDefaultLinger.get(ProducerConfig.RETRY_BACKOFF_MS_CONFIG)).hasToString("5");
        assertThat(atShortLinger.get(ProducerConfig.RETRY_BACKOFF_MS_CONFIG)).hasToString("5");
        assertThat(atLongLinger.get(ProducerConfig.RETRY_BACKOFF_MS_CONFIG)).hasToString("100");
        assertThat(overridden.get(ProducerConfig.RETRY_BACKOFF_MS_CONFIG)).hasToString("250");
    }

    /** The producer settings Kafka Streams derives from a scorer's properties with this linger. */
    private static Map<String, Object> producerConfigs(Connection connection, Duration linger) {
        DeadLetterHandler.Target target = new DeadLetterHandler.Target("dlq", null, "app", () -> { });
        return new StreamsConfig(StreamsProperties.of(connection, "app", target,
                ScorerStreamsConfig.roleSettings(linger))).getProducerConfigs("p");
    }
}
