package io.rewardstream.encoder;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import io.rewardstream.runtime.InFlightCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A HuggingFace tokenizer (tokenizer.json) that returns bare text tokens; special tokens and truncation are
 * applied by {@link TokenLayout}. Thread-safe: the native tokenizer is immutable once built. Like the encoder's
 * session, the native tokenizer is freed only once the calls in flight have returned.
 */
public final class EncoderTokenizer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EncoderTokenizer.class);

    private final HuggingFaceTokenizer tokenizer;
    private final long[] start;
    private final long[] separator;
    private final InFlightCalls calls = new InFlightCalls("tokenizer");

    public EncoderTokenizer(byte[] tokenizerJson) {
        DjlCache.ensureConfigured();
        try {
            this.tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(tokenizerJson), Map.of(
                    "addSpecialTokens", "false", "truncation", "false", "padding", "false"));
        } catch (IOException | RuntimeException e) {
            throw new EncoderLoadException("tokenizer.json cannot be loaded: " + e.getMessage(), e);
        }
        long[] framed = tokenizer.encode("", true, false).getIds();
        if (framed.length < 2) {
            throw new EncoderLoadException("tokenizer.json adds no start and end tokens around a text (got "
                    + Arrays.toString(framed) + "); a BERT-style template ([CLS] text [SEP]) is required");
        }
        this.start = new long[] {framed[0]};
        this.separator = Arrays.copyOfRange(framed, 1, framed.length);
    }

    /**
     * Text token ids of each text, without special tokens and without truncation. Reads only the ids of each native
     * encoding: the library's own {@code Encoding} also copies every token's string, word ids, masks and character
     * spans into Java, which cost as much as the tokenization itself in the scorer's profile.
     */
    public long[][] tokenize(List<String> texts) {
        long[][] ids = new long[texts.size()][];
        if (texts.isEmpty()) {
            return ids;
        }
        try (InFlightCalls.Call call = calls.enter()) {
            long[] encodings = TokenizersLibrary.LIB.batchEncode(tokenizer.getHandle(), texts.toArray(String[]::new),
                    false);
            try {
                for (int i = 0; i < encodings.length; i++) {
                    ids[i] = TokenizersLibrary.LIB.getTokenIds(encodings[i]);
                }
            } finally {
                for (long encoding : encodings) {
                    TokenizersLibrary.LIB.deleteEncoding(encoding);
                }
            }
        }
        return ids;
    }

    /** As {@link #tokenize}, through the library's {@code Encoding} objects (the reference the fast path is tested on). */
    long[][] tokenizeThroughEncodings(List<String> texts) {
        Encoding[] encodings;
        try (InFlightCalls.Call call = calls.enter()) {
            encodings = tokenizer.batchEncode(texts, false, false);
        }
        long[][] ids = new long[encodings.length][];
        for (int i = 0; i < encodings.length; i++) {
            ids[i] = encodings[i].getIds();
        }
        return ids;
    }

    public TokenLayout layout(int maxLength) {
        return new TokenLayout(start, separator, maxLength);
    }

    @Override
    public void close() {
        if (calls.drain(TextEncoder.CLOSE_WAIT)) {
            tokenizer.close();
        } else {
            LOG.error("A tokenizer still had {} call(s) in flight after {} s; leaving it open rather than freeing it"
                    + " under a running call", calls.running(), TextEncoder.CLOSE_WAIT.toSeconds());
        }
    }
}
