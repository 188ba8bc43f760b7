package io.rewardstream.onnx;

import java.util.Map;
import java.util.Random;

/**
 * A padded batch of BERT token ids: 101 [CLS], 102 [SEP], 0 [PAD], word ids drawn from 1000..29000 with a seed.
 *
 * @param inputIds      [batch][seq]
 * @param attentionMask [batch][seq]
 * @param tokenTypeIds  [batch][seq]
 */
record TokenBatch(long[][] inputIds, long[][] attentionMask, long[][] tokenTypeIds) {

    private static final long CLS = 101;
    private static final long SEP = 102;

    /** One text per row: [CLS] words [SEP], then padding to {@code seq}; rows hold the given word counts. */
    static TokenBatch single(Random random, int seq, int... wordCounts) {
        int[][] segments = new int[wordCounts.length][];
        for (int i = 0; i < wordCounts.length; i++) {
            segments[i] = new int[] {wordCounts[i]};
        }
        return of(random, seq, segments);
    }

    /** Prompt and response per row: [CLS] prompt [SEP] response [SEP], token types 0 then 1. */
    static TokenBatch pairs(Random random, int seq, int[]... promptAndResponseWordCounts) {
        return of(random, seq, promptAndResponseWordCounts);
    }

    private static TokenBatch of(Random random, int seq, int[][] segments) {
        int rows = segments.length;
        TokenBatch batch = new TokenBatch(new long[rows][seq], new long[rows][seq], new long[rows][seq]);
        for (int row = 0; row < rows; row++) {
            int t = 0;
            batch.put(row, t++, CLS, 0);
            for (int s = 0; s < segments[row].length; s++) {
                for (int w = 0; w < segments[row][s]; w++) {
                    batch.put(row, t++, 1000 + random.nextInt(28001), s);
                }
                batch.put(row, t++, SEP, s);
            }
        }
        return batch;
    }

    private void put(int row, int t, long id, int type) {
        inputIds[row][t] = id;
        attentionMask[row][t] = 1;
        tokenTypeIds[row][t] = type;
    }

    /** The three inputs under the given name prefix ("" or "prompt_" or "response_"). */
    Map<String, long[][]> inputs(String prefix) {
        return Map.of(prefix + "input_ids", inputIds, prefix + "attention_mask", attentionMask,
                prefix + "token_type_ids", tokenTypeIds);
    }
}
