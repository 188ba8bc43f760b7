package io.rewardstream.scoring;

import io.rewardstream.model.PromptResponse;
import io.rewardstream.model.RewardModel;
import java.util.List;

/** A loaded reward model as the scorer sees it: a name, a version, and thread-safe batch scoring. */
public interface ScoringModel extends AutoCloseable {

    String name();

    long version();

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
