package io.rewardstream.scorer.serving;

import io.rewardstream.encoder.TokenSequence;
import io.rewardstream.model.PromptResponse;
import io.rewardstream.model.RewardModel;
import java.util.List;
import java.util.Map;

/** A loaded reward model as the scorer sees it: a name, a version, and thread-safe batch scoring. */
public interface ScoringModel extends AutoCloseable {

    String name();

    long version();

    /** Evaluation metrics that came with the model (e.g. accuracy), for display. */
    default Map<String, Double> metrics() {
        return Map.of();
    }

    /** The model's metadata, for its card on the status page; empty when the model has none. */
    default java.util.Optional<io.rewardstream.model.ModelMetadata> metadata() {
        return java.util.Optional.empty();
    }

    /**
     * How many tokens the model encodes for {@code item}: the measure of the HTTP batches' token budget. By default
     * an estimate of four characters a token.
     */
    default int tokens(PromptResponse item) {
        return (item.prompt().length() + item.response().length()) / 4 + 2;
    }

    /** One score per item, in order; the same model scores the whole list. */
    List<RewardModel.Score> score(List<PromptResponse> items);

    /** Releases native resources; called once, after every call in flight has returned. */
    @Override
    void close();

    /** Serves a {@link RewardModel} under the name and version of its metadata. */
    static ScoringModel of(RewardModel model) {
        return new ScoringModel() {
            @Override
            public String name() {
                return model.metadata().name();
            }

            @Override
            public long version() {
                return model.metadata().version();
            }

            @Override
            public Map<String, Double> metrics() {
                return model.metadata().metrics() == null ? Map.of() : model.metadata().metrics();
            }

            @Override
            public java.util.Optional<io.rewardstream.model.ModelMetadata> metadata() {
                return java.util.Optional.of(model.metadata());
            }

            @Override
            public int tokens(PromptResponse item) {
                int n = 0;
                for (TokenSequence sequence : model.extractor().sequences(List.of(item))) {
                    n += sequence.length();
                }
                return n;
            }

            @Override
            public List<RewardModel.Score> score(List<PromptResponse> items) {
                return model.score(items);
            }

            @Override
            public void close() {
                model.close();
            }
        };
    }
}
