package io.rewardstream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.rewardstream.registry.RegistryUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

class PassingFailuresTest {

    private static final long SECOND = 1_000_000_000L;

    private static Throwable registryDown() {
        return new StreamsException("task [1_0] failed", new IllegalStateException("serialising",
                new RegistryUnavailableException("Schema registry [http://r:8080] failed POST", null)));
    }

    @Test
    void shouldReplaceThreadsThatDiedOfAnUnreachableRegistryOrClusterWithAGrowingWait() {
        // Given
        PassingFailures failures = new PassingFailures();
        List<Duration> waits = new ArrayList<>();

        // When the registry keeps failing, a few seconds apart
        for (int i = 0; i < 6; i++) {
            waits.add(failures.next(registryDown(), i * 20 * SECOND).orElseThrow());
        }

        // Then each replacement waits longer, up to the longest wait
        assertThat(waits).extracting(Duration::toSeconds).containsExactly(1L, 2L, 4L, 8L, 15L, 15L);
        assertThat(failures.next(new StreamsException(new TimeoutException("no leader")), 121 * SECOND)).isPresent();
        assertThat(PassingFailures.describe(registryDown())).startsWith("RegistryUnavailableException: Schema registry");
    }

    @Test
    void shouldShutTheClientDownOnOtherFailuresAndOnceTheBudgetIsSpent() {
        PassingFailures failures = new PassingFailures();

        assertThat(failures.next(new StreamsException(new IllegalStateException("a bug")), 0)).isEmpty();
        for (long t = 0; t <= PassingFailures.BUDGET.toSeconds(); t += 30) {
            failures.next(registryDown(), t * SECOND);
        }
        assertThat(failures.next(registryDown(), (PassingFailures.BUDGET.toSeconds() + 30) * SECOND))
                .as("failures kept coming for longer than the budget").isEmpty();
    }

    @Test
    void shouldStartAFreshStreakAfterAQuietSpell() {
        PassingFailures failures = new PassingFailures();
        failures.next(registryDown(), 0);
        failures.next(registryDown(), SECOND);

        Duration afterQuiet = failures.next(registryDown(), SECOND + PassingFailures.QUIET.toNanos() + 1).orElseThrow();

        assertThat(afterQuiet).isEqualTo(Duration.ofSeconds(1));
    }
}
