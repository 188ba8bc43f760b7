package io.rewardstream.encoder;

/**
 * Token ids of one encoder input row, before padding.
 *
 * @param ids       token ids including special tokens
 * @param typeIds   token_type_ids, same length
 * @param truncated true when some text tokens were cut to fit the maximum length
 */
public record TokenSequence(long[] ids, long[] typeIds, boolean truncated) {

    public int length() {
        return ids.length;
    }
}
