package io.rewardstream.model;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Pooled vectors of prompts already encoded, so that the responses of one prompt (RLHF samples several per prompt,
 * and they reach the scorer in different batches and partitions) encode the prompt once. Keyed by the encoder's
 * identity ({@code TextEncoder.identity()}: graph, tokenizer, precision), the maximum length (it decides where a long
 * prompt is cut) and the SHA-256 of the prompt's text, so models that share an encoder share its entries and a new
 * encoder never reads another's. Bounded: past {@code capacity} entries the least recently used one goes.
 *
 * <p>Only correct for encoders whose vector of a text does not depend on its batch mates (fp32, and the int8 of
 * {@code Precision.INT8}): then a cached vector is the one a fresh encoding would give. Thread-safe.
 */
public final class PromptCache {

    /** Caches nothing: every prompt is encoded with its batch. */
    public static final PromptCache NONE = new PromptCache(0);

    /** One cached prompt: its pooled vector and whether its tokens were cut to fit. */
    public record Entry(float[] vector, boolean truncated) {
    }

    private record Key(String encoder, int maxLength, long high, long low) {
    }

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always present in the JDK", e);
        }
    });

    private final int capacity;
    private final Map<Key, Entry> entries;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    /** @param capacity prompts kept at most; 0 keeps none */
    public PromptCache(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("a prompt cache holds 0 or more entries, not " + capacity);
        }
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Entry> eldest) {
                return size() > PromptCache.this.capacity;
            }
        };
    }

    public boolean enabled() {
        return capacity > 0;
    }

    /** The cached vector of {@code prompt} for this encoder and maximum length, or null (counted as a miss). */
    Entry get(String encoder, int maxLength, String prompt) {
        if (capacity == 0) {
            return null;
        }
        Entry found;
        Key key = key(encoder, maxLength, prompt);
        synchronized (entries) {
            found = entries.get(key);
        }
        (found == null ? misses : hits).increment();
        return found;
    }

    void put(String encoder, int maxLength, String prompt, Entry entry) {
        if (capacity == 0) {
            return;
        }
        Key key = key(encoder, maxLength, prompt);
        synchronized (entries) {
            entries.put(key, entry);
        }
    }

    /** Prompts found in the cache since it was made. */
    public long hits() {
        return hits.sum();
    }

    /** Prompts looked up and not found (then encoded) since it was made. */
    public long misses() {
        return misses.sum();
    }

    public int size() {
        synchronized (entries) {
            return entries.size();
        }
    }

    public int capacity() {
        return capacity;
    }

    /** Forgets every entry (the counts stay). */
    public void clear() {
        synchronized (entries) {
            entries.clear();
        }
    }

    private static Key key(String encoder, int maxLength, String prompt) {
        MessageDigest sha = SHA256.get();
        ByteBuffer digest = ByteBuffer.wrap(sha.digest(prompt.getBytes(StandardCharsets.UTF_8)));
        return new Key(encoder, maxLength, digest.getLong(), digest.getLong());
    }
}
