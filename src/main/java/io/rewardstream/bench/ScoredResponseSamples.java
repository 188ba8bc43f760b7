package io.rewardstream.bench;

import io.rewardstream.avro.ScoredResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Deterministic ScoredResponse records with the text lengths of real RLHF traffic: prompts of a few
 * hundred to ~1,500 characters and responses of ~200 to ~2,500 characters.
 */
public final class ScoredResponseSamples {

    private static final String[] WORDS = ("the a model reward response prompt user assistant helpful harmless "
            + "answer question please explain why how what when because however therefore example code function "
            + "data training policy value safe unsafe request context detail step first second finally summary "
            + "result error improve consider option approach reason evidence clear concise polite refuse comply")
            .split(" ");

    private ScoredResponseSamples() {
    }

    public static List<ScoredResponse> generate(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<ScoredResponse> records = new ArrayList<>(count);
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < count; i++) {
            double reward = random.nextDouble(-4, 4);
            records.add(ScoredResponse.newBuilder()
                    .setResponseId("resp-" + seed + "-" + i)
                    .setPrompt(text(random, 300 + random.nextInt(1_200)))
                    .setResponse(text(random, 200 + random.nextInt(2_300)))
                    .setPolicyVersion("policy-" + (i % 7))
                    .setMetadata(Map.of("rollout", Integer.toString(i / 64), "worker", "w" + (i % 16)))
                    .setCreatedAt(base.plusMillis(i * 37L))
                    .setReward(reward)
                    .setRewardNormalized(reward / 1.7)
                    .setModelName("reward-minilm")
                    .setModelVersion(42L)
                    .setScoredAt(base.plusMillis(i * 37L + 150))
                    .setTruncated(random.nextInt(20) == 0)
                    .build());
        }
        return records;
    }

    private static String text(SplittableRandom random, int length) {
        StringBuilder text = new StringBuilder(length + 16);
        while (text.length() < length) {
            text.append(WORDS[random.nextInt(WORDS.length)]).append(random.nextInt(12) == 0 ? ". " : " ");
        }
        text.setLength(length);
        return text.toString();
    }
}
