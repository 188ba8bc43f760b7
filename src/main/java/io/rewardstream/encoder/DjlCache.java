package io.rewardstream.encoder;

import java.nio.file.Path;

/**
 * The tokenizer library unpacks its native code into a cache folder; unless DJL_CACHE_DIR says otherwise,
 * RewardStream puts it under ~/.cache/rewardstream/djl, a folder the user owns.
 */
final class DjlCache {

    private DjlCache() {
    }

    static void ensureConfigured() {
        if (System.getenv("DJL_CACHE_DIR") == null && System.getProperty("DJL_CACHE_DIR") == null) {
            Path dir = Path.of(System.getProperty("user.home"), ".cache", "rewardstream", "djl");
            System.setProperty("DJL_CACHE_DIR", dir.toString());
        }
    }
}
