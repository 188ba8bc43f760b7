package io.rewardstream.encoder;

import java.util.Arrays;
import java.util.List;

/** Token sequences padded with id 0 to the longest in the batch, as ONNX inputs. */
public record PaddedBatch(long[][] ids, long[][] mask, long[][] typeIds) {

    public static PaddedBatch of(List<TokenSequence> sequences) {
        int width = sequences.stream().mapToInt(TokenSequence::length).max().orElse(0);
        long[][] ids = new long[sequences.size()][width];
        long[][] mask = new long[sequences.size()][width];
        long[][] types = new long[sequences.size()][width];
        for (int row = 0; row < sequences.size(); row++) {
            TokenSequence s = sequences.get(row);
            System.arraycopy(s.ids(), 0, ids[row], 0, s.length());
            System.arraycopy(s.typeIds(), 0, types[row], 0, s.length());
            Arrays.fill(mask[row], 0, s.length(), 1L);
        }
        return new PaddedBatch(ids, mask, types);
    }
}
