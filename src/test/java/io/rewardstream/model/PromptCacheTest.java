package io.rewardstream.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.encoder.TextEncoder;
import io.rewardstream.head.FeatureLayout;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PromptCacheTest {

    private static TextEncoder encoder;

    @BeforeAll
    static void load() {
        encoder = TextEncoder.load(EncoderSource.resolve(EncoderSource.DEFAULT), 1, 32);
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    @Test
    void shouldGiveTheSameFeaturesFromTheCacheAsFromAFreshEncoding() {
        // Given one prompt's responses arriving in two batches, with and without a cache
        PromptCache cache = new PromptCache(100);
        FeatureExtractor cached = new FeatureExtractor(encoder, FeatureLayout.SEPARATE, 256, cache);
        FeatureExtractor plain = new FeatureExtractor(encoder, FeatureLayout.SEPARATE, 256);
        String prompt = "What is a good name for a cat?";
        List<PromptResponse> first = List.of(new PromptResponse(prompt, "Whiskers."),
                new PromptResponse("Another prompt", "Something longer than the first response, for padding."));
        List<PromptResponse> second = List.of(new PromptResponse(prompt, "Maybe Tom."));

        // When both batches are scored
        cached.extract(first);
        Features fromCache = cached.extract(second);

        // Then the second batch took the prompt from the cache and got exactly the features of a fresh encoding
        assertThat(cache.hits()).isEqualTo(1);
        assertThat(cache.misses()).isEqualTo(2);
        assertThat(fromCache.rows()[0]).containsExactly(plain.extract(second).rows()[0]);
    }

    @Test
    void shouldKeepEncodersAndMaximumLengthsApartAndForgetTheLeastRecentlyUsed() {
        PromptCache cache = new PromptCache(2);
        PromptCache.Entry a = new PromptCache.Entry(new float[] {1f}, false);
        PromptCache.Entry b = new PromptCache.Entry(new float[] {2f}, true);

        cache.put("encoder-1", 256, "p", a);
        cache.put("encoder-1", 128, "p", b);
        assertThat(cache.get("encoder-2", 256, "p")).as("another encoder's vector is never read").isNull();
        assertThat(cache.get("encoder-1", 256, "p")).isSameAs(a);
        assertThat(cache.get("encoder-1", 128, "p")).isSameAs(b);

        cache.get("encoder-1", 256, "p");
        cache.put("encoder-1", 256, "q", b);
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.get("encoder-1", 128, "p")).as("the least recently used entry went").isNull();
        assertThat(cache.get("encoder-1", 256, "p")).isSameAs(a);
    }

    @Test
    void shouldCacheNothingWithCapacityZero() {
        PromptCache none = new PromptCache(0);
        none.put("e", 1, "p", new PromptCache.Entry(new float[] {1f}, false));

        assertThat(none.enabled()).isFalse();
        assertThat(none.get("e", 1, "p")).isNull();
        assertThat(none.size()).isZero();
    }
}
