package io.rewardstream.encoder;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import io.rewardstream.runtime.InFlightCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A HuggingFace tokenizer (tokenizer.json) that returns bare text tokens; special tokens and truncation are
 * applied by {@link TokenLayout}. Thread-safe: the native tokenizer is immutable once built. Like the encoder's
 * session, the native tokenizer is freed only once the calls in flight have returned.
 */
public final class EncoderTokenizer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EncoderTokenizer.class);

    /** Bare text tokens: special tokens, truncation and padding are the layout's business. */
    static final Map<String, String> OPTIONS = Map.of("addSpecialTokens", "false", "truncation", "false",
            "padding", "false");

    /**
     * {@code -Drewardstream.tokenizer=native}: every text through the native library, as before the Java tokenizer
     * (to compare speeds, or to rule the Java one out when looking into a problem).
     */
    static final boolean NATIVE_ONLY = "native".equalsIgnoreCase(System.getProperty("rewardstream.tokenizer"));

    private final HuggingFaceTokenizer tokenizer;
    /**
     * The same tokenization in Java, for BERT WordPiece files, once {@link TokenizerAgreement} has found the code
     * points where it gives the native library's ids; until then (and for other files) null: the native library
     * serves every call. Both give the same ids, so the switch is invisible.
     */
    private volatile BertWordPiece wordPiece;
    /** Completes once it is known whether, and {@link #wordPiece} is set if, the Java tokenizer serves this file. */
    private final CompletableFuture<Void> javaReady;
    private final long[] start;
    private final long[] separator;
    private final InFlightCalls calls = new InFlightCalls("tokenizer");

    public EncoderTokenizer(byte[] tokenizerJson) {
        DjlCache.ensureConfigured();
        try {
            this.tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(tokenizerJson), OPTIONS);
        } catch (IOException | RuntimeException e) {
            throw new EncoderLoadException("tokenizer.json cannot be loaded: " + e.getMessage(), e);
        }
        long[] framed = tokenizer.encode("", true, false).getIds();
        if (framed.length < 2) {
            throw new EncoderLoadException("tokenizer.json adds no start and end tokens around a text (got "
                    + Arrays.toString(framed) + "); a BERT-style template ([CLS] text [SEP]) is required");
        }
        this.javaReady = NATIVE_ONLY ? null : TokenizerAgreement.of(tokenizerJson)
                .thenAccept(java -> wordPiece = java);
        this.start = new long[] {framed[0]};
        this.separator = Arrays.copyOfRange(framed, 1, framed.length);
    }

    /**
     * Waits until the Java tokenizer serves this file (true), or until it is known that it will not or
     * {@code timeout} passed (false).
     */
    boolean awaitJava(Duration timeout) {
        if (javaReady == null) {
            return false;
        }
        try {
            javaReady.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
        return wordPiece != null;
    }

    /** Whether {@code text} would be tokenized in Java (tests: how much of a corpus takes the fast path). */
    boolean tokenizesInJava(String text) {
        return wordPiece != null && wordPiece.tokenize(text) != null;
    }

    /** The code points on which the Java rules were found to agree with the native library (tests). */
    BitSet javaCodePoints() {
        return wordPiece == null ? new BitSet() : wordPiece.handled();
    }

    /** Whether texts are now tokenized in Java ({@link BertWordPiece}) rather than by the native library. */
    boolean inJava() {
        return wordPiece != null;
    }

    /**
     * Text token ids of each text, without special tokens and without truncation: in Java for BERT WordPiece files,
     * else by the native library.
     */
    public long[][] tokenize(List<String> texts) {
        BertWordPiece java = wordPiece;
        if (java == null) {
            return tokenizeNatively(texts);
        }
        long[][] ids = new long[texts.size()][];
        List<Integer> elsewhere = null;
        for (int i = 0; i < ids.length; i++) {
            ids[i] = java.tokenize(texts.get(i));
            if (ids[i] == null) {
                elsewhere = elsewhere == null ? new ArrayList<>() : elsewhere;
                elsewhere.add(i);
            }
        }
        if (elsewhere != null) {
            List<String> rest = new ArrayList<>(elsewhere.size());
            elsewhere.forEach(i -> rest.add(texts.get(i)));
            long[][] natively = tokenizeNatively(rest);
            for (int k = 0; k < natively.length; k++) {
                ids[elsewhere.get(k)] = natively[k];
            }
        }
        return ids;
    }

    /**
     * Text token ids of each text by the native library, without special tokens and without truncation. Reads only
     * the ids of each native encoding: the library's own {@code Encoding} also copies every token's string, word
     * ids, masks and character spans into Java, which cost as much as the tokenization itself in the scorer's
     * profile.
     */
    long[][] tokenizeNatively(List<String> texts) {
        if (texts.isEmpty()) {
            return new long[0][];
        }
        try (InFlightCalls.Call call = calls.enter()) {
            return nativeIds(tokenizer, texts);
        }
    }

    /** The ids of each text's native encoding, and nothing else of it. */
    static long[][] nativeIds(HuggingFaceTokenizer tokenizer, List<String> texts) {
        long[][] ids = new long[texts.size()][];
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
        return ids;
    }

    /** As {@link #tokenizeNatively}, through the library's {@code Encoding} objects (the reference for tests). */
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
