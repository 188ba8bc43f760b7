package io.rewardstream.encoder;

import java.util.List;

/**
 * Token sequences padded with id 0 to the longest in the batch, as ONNX inputs: row-major [rows, width] arrays
 * (flat, so that tensors are filled with one bulk copy).
 */
public record PaddedBatch(int rows, int width, long[] ids, long[] mask, long[] typeIds) {

    public static PaddedBatch of(List<TokenSequence> sequences) {
        int width = sequences.stream().mapToInt(TokenSequence::length).max().orElse(0);
        int rows = sequences.size();
        long[] ids = new long[rows * width];
        long[] mask = new long[rows * width];
        long[] types = new long[rows * width];
        for (int row = 0; row < rows; row++) {
            TokenSequence s = sequences.get(row);
            System.arraycopy(s.ids(), 0, ids, row * width, s.length());
            System.arraycopy(s.typeIds(), 0, types, row * width, s.length());
            java.util.Arrays.fill(mask, row * width, row * width + s.length(), 1L);
        }
        return new PaddedBatch(rows, width, ids, mask, types);
    }

    /** The tensor shape [rows, width]. */
    public long[] shape() {
        return new long[] {rows, width};
    }
}
