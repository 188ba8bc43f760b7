package io.rewardstream.learning.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.rewardstream.encoder.TokenSequence;
import java.util.List;

/**
 * Token sequences padded with id 0 to the longest of the batch.
 *
 * @param ids   [batch][seq] token ids
 * @param types [batch][seq] token type ids
 * @param mask  [batch][seq] 1 for real tokens, 0 for padding
 */
record TokenBatch(long[][] ids, long[][] types, long[][] mask) {

    /**
     * Pads the sequences after checking that they fit the encoder.
     *
     * @throws IllegalArgumentException for an empty batch, an empty sequence, one longer than the encoder's
     *                                  positions, or a token (type) id outside the encoder's tables
     */
    static TokenBatch of(List<TokenSequence> sequences, BertShape shape) {
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one token sequence");
        }
        int width = sequences.stream().mapToInt(TokenSequence::length).max().orElseThrow();
        TokenBatch batch = new TokenBatch(new long[sequences.size()][width], new long[sequences.size()][width],
                new long[sequences.size()][width]);
        for (int row = 0; row < sequences.size(); row++) {
            batch.put(row, check(sequences.get(row), row, shape));
        }
        return batch;
    }

    private static TokenSequence check(TokenSequence s, int row, BertShape shape) {
        if (s.length() == 0 || s.length() > shape.positions()) {
            throw new IllegalArgumentException("sequence " + row + " holds " + s.length() + " tokens; the encoder takes"
                    + " 1 to " + shape.positions());
        }
        if (s.typeIds().length != s.length()) {
            throw new IllegalArgumentException("sequence " + row + " has " + s.length() + " token ids but "
                    + s.typeIds().length + " token type ids");
        }
        for (int t = 0; t < s.length(); t++) {
            if (s.ids()[t] < 0 || s.ids()[t] >= shape.vocab()) {
                throw new IllegalArgumentException("sequence " + row + " has token id " + s.ids()[t] + " at position "
                        + t + "; the encoder's vocabulary holds ids 0 to " + (shape.vocab() - 1));
            }
            if (s.typeIds()[t] < 0 || s.typeIds()[t] >= shape.tokenTypes()) {
                throw new IllegalArgumentException("sequence " + row + " has token type " + s.typeIds()[t]
                        + " at position " + t + "; the encoder has " + shape.tokenTypes() + " token types");
            }
        }
        return s;
    }

    private void put(int row, TokenSequence s) {
        System.arraycopy(s.ids(), 0, ids[row], 0, s.length());
        System.arraycopy(s.typeIds(), 0, types[row], 0, s.length());
        java.util.Arrays.fill(mask[row], 0, s.length(), 1L);
    }

    int size() {
        return ids.length;
    }

    /** int64 ids, int64 type ids and a float32 mask, in {@code manager}. */
    NDList toArrays(NDManager manager) {
        NDArray mask32 = manager.create(mask).toType(DataType.FLOAT32, false);
        return new NDList(manager.create(ids), manager.create(types), mask32);
    }
}
