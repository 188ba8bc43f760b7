package io.rewardstream.demo;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What the streaming demo runs.
 *
 * @param duration             how long to run; {@link Duration#ZERO} runs until stopped (Ctrl-C)
 * @param preferencesPerSecond preference events the synthetic annotator publishes per second
 * @param responsesPerSecond   rollouts the synthetic rollout worker publishes per second
 * @param noise                share of synthetic judgments flipped, as disagreeing annotators would
 * @param seed                 seed of the generators
 * @param preferencesFile      a JSONL file of pairs to replay instead of the synthetic annotator, or null
 * @param flipAfter            when to reverse the annotators' preference (to show drift), or null for never
 * @param httpPort             the scorer's HTTP port, 0 for any free one
 * @param reportEvery          how often a progress line is printed
 * @param workDir              where the broker's log and the roles' state go; null for a temporary folder
 *                             removed at the end
 * @param minPairs             pairs the trainer waits for before its first model (training.min-pairs)
 * @param trainingInterval     how often the trainer considers retraining (training.interval)
 */
public record DemoSettings(Duration duration, double preferencesPerSecond, double responsesPerSecond, double noise,
                           long seed, Path preferencesFile, Duration flipAfter, int httpPort, Duration reportEvery,
                           Path workDir, int minPairs, Duration trainingInterval) {

    public DemoSettings {
        require(!duration.isNegative(), "--duration must not be negative");
        require(preferencesPerSecond > 0 && preferencesPerSecond <= 10_000, "--preferences-per-second must be in (0, 10000]");
        require(responsesPerSecond > 0 && responsesPerSecond <= 10_000, "--responses-per-second must be in (0, 10000]");
        require(noise >= 0 && noise < 0.5, "--noise must be in [0, 0.5)");
        require(flipAfter == null || !flipAfter.isNegative(), "--flip-after must not be negative");
        require(httpPort >= 0 && httpPort <= 65_535, "--http-port must be between 0 and 65535");
        require(reportEvery.toMillis() >= 100, "--report-every must be at least 100ms");
        require(minPairs >= 10, "--min-pairs must be at least 10");
        require(trainingInterval.toMillis() >= 1000, "--training-interval must be at least 1s");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
