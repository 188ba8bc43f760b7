package io.rewardstream.evaluation;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@link PairwiseMetrics} as the snake_case map written to metadata and printed as JSON; NaN becomes null. */
public final class MetricsMap {

    private MetricsMap() {
    }

    public static Map<String, Double> of(PairwiseMetrics m) {
        Map<String, Double> map = new LinkedHashMap<>();
        map.put("pairs", (double) m.pairs());
        map.put("accuracy", m.accuracy());
        map.put("log_loss", m.logLoss());
        map.put("ece", m.ece());
        map.put("temperature", m.temperature());
        map.put("length_correlation", m.lengthCorrelation());
        map.put("margin_correlation", m.marginCorrelation());
        map.put("reward_mean", m.rewardMean());
        map.put("reward_std", m.rewardStd());
        map.put("mean_gap", m.meanGap());
        map.replaceAll((key, value) -> value == null || value.isNaN() ? null : value);
        return map;
    }
}
