package io.rewardstream.learning.finetune;

import io.rewardstream.encoder.TokenSequence;
import io.rewardstream.onnx.TinyBerts;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded token sequences for the tiny BERT encoders, and a tokenizer file TextEncoder can open beside them. */
final class TinySequences {

    static final long CLS = 1;
    static final long SEP = 2;

    private TinySequences() {
    }

    /** [CLS] words [SEP] rows of the given word counts, words 3..VOCAB-1, the second half typed 1. */
    static List<TokenSequence> random(long seed, int... wordCounts) {
        Random random = new Random(seed);
        List<TokenSequence> sequences = new ArrayList<>();
        for (int words : wordCounts) {
            long[] ids = new long[words + 2];
            long[] types = new long[words + 2];
            ids[0] = CLS;
            ids[words + 1] = SEP;
            for (int t = 1; t <= words; t++) {
                ids[t] = 3 + random.nextInt(TinyBerts.VOCAB - 3);
                types[t] = t > words / 2 ? 1 : 0;
            }
            sequences.add(new TokenSequence(ids, types, false));
        }
        return sequences;
    }

    /** A sequence of the given token ids between [CLS] and [SEP], all typed 0. */
    static TokenSequence of(long... words) {
        long[] ids = new long[words.length + 2];
        ids[0] = CLS;
        System.arraycopy(words, 0, ids, 1, words.length);
        ids[words.length + 1] = SEP;
        return new TokenSequence(ids, new long[ids.length], false);
    }

    /** The MiniLM tokenizer definition: TextEncoder needs one, though tests hand it token ids directly. */
    static byte[] tokenizerJson() {
        try (InputStream in = TinySequences.class.getClassLoader()
                .getResourceAsStream("all-minilm-l6-v2-tokenizer.json")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
