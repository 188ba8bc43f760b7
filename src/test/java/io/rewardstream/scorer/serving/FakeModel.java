package io.rewardstream.scorer.serving;

import io.rewardstream.model.PromptResponse;
import io.rewardstream.model.RewardModel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A test model whose reward is the response's length plus its version / 1000 (so a score tells which version made it);
 * it records batch sizes, calls in flight and whether it was closed, and fails if used after close.
 */
public final class FakeModel implements ScoringModel {

    public static final String NAME = "fake-rm";

    private final long version;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicReference<String> misuse = new AtomicReference<>();
    private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    private final List<List<String>> batches = new CopyOnWriteArrayList<>();
    private volatile Runnable duringScore = () -> { };

    public FakeModel(long version) {
        this.version = version;
    }

    public static double rewardOf(String response, long version) {
        return response.length() + version / 1000.0;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long version() {
        return version;
    }

    @Override
    public Map<String, Double> metrics() {
        return Map.of("accuracy", 0.75);
    }

    /** Work to run inside each score call (e.g. wait on a latch). */
    public FakeModel during(Runnable work) {
        this.duringScore = work;
        return this;
    }

    /** One token per character of the response, and one more. */
    @Override
    public int tokens(PromptResponse item) {
        return item.response().length() + 1;
    }

    @Override
    public List<RewardModel.Score> score(List<PromptResponse> items) {
        inFlight.incrementAndGet();
        if (closed.get()) {
            misuse.set("used after close");
            throw new IllegalStateException("model version " + version + " used after close");
        }
        try {
            batchSizes.add(items.size());
            batches.add(items.stream().map(PromptResponse::response).toList());
            duringScore.run();
            return items.stream().map(i -> new RewardModel.Score(rewardOf(i.response(), version),
                    rewardOf(i.response(), version) / 10, i.response().length() > 100)).toList();
        } finally {
            inFlight.decrementAndGet();
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            misuse.set("closed twice");
        }
        if (inFlight.get() != 0) {
            misuse.set("closed with calls in flight");
        }
    }

    /** What went wrong with this model's life cycle, or null. */
    String misuse() {
        return misuse.get();
    }

    public boolean closed() {
        return closed.get();
    }

    /** The responses of each batch scored, in order. */
    public List<List<String>> batches() {
        return batches;
    }

    public List<Integer> batchSizes() {
        return batchSizes;
    }
}
