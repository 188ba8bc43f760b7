package io.rewardstream.scorer.serving;

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
