package io.rewardstream.scorer.http;

import io.rewardstream.config.ConfigException;
import io.rewardstream.config.ConfigKeys;
import io.rewardstream.config.KeyValues;
import java.util.Locale;

/**
 * How {@code POST /get_reward} reads queries and which reward it answers with.
 *
 * @param rules the assistant-turn markers and end tokens of query splitting (openrlhf.assistant-markers,
 *              openrlhf.end-tokens)
 * @param scale the reward sent as {@code rewards} and {@code scores} (openrlhf.reward)
 */
public record OpenRlhfSettings(QueryRules rules, RewardScale scale) {

    /** Which reward {@code rewards} and {@code scores} carry. */
    public enum RewardScale {
        /**
         * Standardised with the normalisation of the release that scored it (mean and standard deviation of its
         * rewards on its own training pairs): the scale stays put when a new version is swapped in.
         */
        NORMALIZED,
        /** The model's raw output r(x, y), whose offset and spread change from one version to the next. */
        RAW;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public OpenRlhfSettings {
        if (rules == null || scale == null) {
            throw new ConfigException(ConfigKeys.OPENRLHF_REWARD, "must be given");
        }
    }

    public static OpenRlhfSettings defaults() {
        return of(KeyValues.defaults());
    }

    public static OpenRlhfSettings of(KeyValues v) {
        try {
            QueryRules rules = QueryRules.parse(ConfigKeys.OPENRLHF_ASSISTANT_MARKERS,
                    v.string(ConfigKeys.OPENRLHF_ASSISTANT_MARKERS), ConfigKeys.OPENRLHF_END_TOKENS,
                    v.string(ConfigKeys.OPENRLHF_END_TOKENS));
            RewardScale scale = v.parsed(ConfigKeys.OPENRLHF_REWARD,
                    text -> RewardScale.valueOf(text.trim().toUpperCase(Locale.ROOT)), "use normalized or raw");
            return new OpenRlhfSettings(rules, scale);
        } catch (ConfigException e) {
            throw v.spelled(e);
        }
    }
}
