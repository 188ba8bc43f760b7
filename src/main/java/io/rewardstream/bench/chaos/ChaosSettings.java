package io.rewardstream.bench.chaos;

import java.nio.file.Path;

/**
 * What a chaos run does; each phase runs when its count is above zero.
 *
 * @param jar               the rewardstream jar the roles run from, as separate processes
 * @param registryUrl       a real Confluent-compatible schema registry (reached by the roles through a relay that the
 *                          registry-outage phase cuts)
 * @param scorerKills       SIGKILL + restart cycles of a scorer while {@code responses} responses flow
 * @param responses         responses sent in each scoring phase
 * @param trainerKills      SIGKILL + restart cycles of a trainer while {@code events} preference events flow
 * @param events            preference events sent in each training phase
 * @param rebalance         whether to run two scorers and kill one mid-stream, never restarting it
 * @param brokerRestart     whether to restart the broker while both roles work
 * @param registryOutage    whether to cut the registry while both roles work, restarting the scorer meanwhile
 * @param responsesPerSecond rate of the response feed
 * @param eventsPerSecond   rate of the preference feed
 */
public record ChaosSettings(Path jar, String registryUrl, int scorerKills, int responses, int trainerKills,
                            int events, boolean rebalance, boolean brokerRestart, boolean registryOutage,
                            double responsesPerSecond, double eventsPerSecond) {

    /** The full counts: 5 kills of each role, 10,000 responses, every fault. */
    public static ChaosSettings full(Path jar, String registryUrl) {
        return new ChaosSettings(jar, registryUrl, 5, 10_000, 5, 2_000, true, true, true, 250, 40);
    }
}
