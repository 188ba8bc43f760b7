package io.rewardstream.scorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rewardstream.config.ConfigException;
import io.rewardstream.runtime.Device;
import java.time.Duration;
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
    }

    @Test
    void shouldRefuseBadValuesNamingTheirKey() {
        // Given
        ScorerSettings d = ScorerSettings.defaults();

        // When / Then
        assertThatThrownBy(() -> d.withBatchSize(0)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'scoring.batch-size'");
        assertThatThrownBy(() -> d.withLinger(Duration.ZERO)).hasMessageContaining("'scoring.linger'");
        assertThatThrownBy(() -> d.withHttp("127.0.0.1", 70_000, 4096)).hasMessageContaining("'http.port'");
        assertThatThrownBy(() -> d.withHttp("127.0.0.1", 0, 10)).hasMessageContaining("'http.max-body-bytes'");
        assertThatThrownBy(() -> d.withApplicationId(" ")).hasMessageContaining("'scoring.application-id'");
    }
}
