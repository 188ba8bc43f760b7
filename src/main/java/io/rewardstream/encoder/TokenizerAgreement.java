package io.rewardstream.encoder;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the Java tokenizer ({@link BertWordPiece}) for one tokenizer.json, restricted to the code points on which
 * it gives the native library's ids.
 *
 * <p>The rules are the library's, but the character classes come from Unicode tables of different ages: the JDK's
 * (Unicode 13 in Java 17) are newer than the ones the library uses for categories (a non-spacing mark added in
 * Unicode 11 is stripped by one and kept by the other) and older than the ones it lower-cases with. So each code
 * point is tried: alone, inside a word and between upper-case letters, by both, and kept only if the ids agree. On
 * Java 17 with tokenizers 0.38.0 that leaves 63 code points of the Basic Multilingual Plane to the native library,
 * every one of them assigned in Unicode 10 or later. Tried: the whole BMP and every code point the JDK knows in the
 * other planes, except the CJK planes (2 and 3) and the private-use planes (15 and 16), which are left to the native
 * library. A text with any code point outside the set is tokenized natively.
 *
 * <p>Trying takes a few seconds of one core, so it runs once per tokenizer file and process, on a background
 * thread; the native library serves until it is done (both give the same ids, so the switch shows only in speed).
 * Code points are tried 64 to a text, and one by one only within a text where the two disagree.
 */
final class TokenizerAgreement {

    private static final Logger LOG = LoggerFactory.getLogger(TokenizerAgreement.class);
    private static final Map<String, CompletableFuture<BertWordPiece>> BY_FILE = new ConcurrentHashMap<>();
    private static final Executor PROBES = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "tokenizer-agreement");
        thread.setDaemon(true);
        return thread;
    });
    private static final int PER_TEXT = 64;
    private static final int TEXTS_PER_CALL = 256;

    private TokenizerAgreement() {
    }

    /**
     * The Java tokenizer for this file, restricted to the code points where it agrees with the native library, built
     * once per file and process (the file's JSON parsed, its vocabulary indexed, the code points tried), off the
     * caller's thread. Completes with null for a file that is not of the BERT WordPiece kind; fails when even ASCII
     * disagrees.
     */
    static CompletableFuture<BertWordPiece> of(byte[] tokenizerJson) {
        String sha = EncoderSource.sha256(tokenizerJson);
        CompletableFuture<BertWordPiece> found = BY_FILE.computeIfAbsent(sha, key -> CompletableFuture.supplyAsync(
                () -> build(tokenizerJson), PROBES));
        // A failure is not kept: the next tokenizer of this file tries again.
        found.whenComplete((agreed, failure) -> {
            if (failure != null) {
                BY_FILE.remove(sha, found);
            }
        });
        return found;
    }

    private static BertWordPiece build(byte[] tokenizerJson) {
        BertWordPiece rules;
        try {
            rules = BertWordPiece.of(new ObjectMapper().readTree(tokenizerJson)).orElse(null);
        } catch (IOException e) {
            throw new EncoderLoadException("tokenizer.json is not JSON: " + e.getMessage(), e);
        }
        return rules == null ? null : rules.restrictedTo(probe(tokenizerJson, rules));
    }

    private static BitSet probe(byte[] tokenizerJson, BertWordPiece rules) {
        long start = System.nanoTime();
        List<Integer> codePoints = tried();
        BitSet agreed = new BitSet(Character.MAX_CODE_POINT + 1);
        try (HuggingFaceTokenizer reference = HuggingFaceTokenizer.newInstance(
                new ByteArrayInputStream(tokenizerJson), EncoderTokenizer.OPTIONS)) {
            List<List<Integer>> groups = new ArrayList<>();
            for (int from = 0; from < codePoints.size(); from += PER_TEXT) {
                groups.add(codePoints.subList(from, Math.min(codePoints.size(), from + PER_TEXT)));
            }
            List<Integer> suspects = new ArrayList<>();
            compare(reference, rules, groups, (group, same) -> {
                if (same) {
                    group.forEach(agreed::set);
                } else {
                    suspects.addAll(group);
                }
            });
            compare(reference, rules, suspects.stream().map(List::of).toList(), (group, same) -> {
                if (same) {
                    agreed.set(group.get(0));
                }
            });
        } catch (IOException e) {
            throw new EncoderLoadException("tokenizer.json cannot be loaded: " + e.getMessage(), e);
        }
        BitSet ascii = new BitSet();
        ascii.set(0, 0x80);
        if (!agreed.get(0, 0x80).equals(ascii)) {
            LOG.warn("The Java tokenizer disagrees with the native one on ASCII text; the native one serves this file");
            throw new IllegalStateException("Java and native tokenizers disagree on ASCII");
        }
        LOG.debug("Java tokenizer agrees with the native one on {} of {} code points tried ({} ms)",
                agreed.cardinality(), codePoints.size(), (System.nanoTime() - start) / 1_000_000);
        return agreed;
    }

    private static List<Integer> tried() {
        List<Integer> codePoints = new ArrayList<>();
        for (int c = 0; c <= Character.MAX_CODE_POINT; c++) {
            boolean bmp = c <= 0xFFFF && !Character.isSurrogate((char) c);
            boolean otherPlane = c > 0xFFFF && c < 0xF0000 && (c < 0x20000 || c >= 0x40000) && Character.isDefined(c);
            if (bmp || otherPlane) {
                codePoints.add(c);
            }
        }
        return codePoints;
    }

    private interface Verdict {
        void of(List<Integer> group, boolean same);
    }

    private static void compare(HuggingFaceTokenizer reference, BertWordPiece rules, List<List<Integer>> groups,
                                Verdict verdict) {
        for (int from = 0; from < groups.size(); from += TEXTS_PER_CALL) {
            List<List<Integer>> slice = groups.subList(from, Math.min(groups.size(), from + TEXTS_PER_CALL));
            List<String> texts = slice.stream().map(TokenizerAgreement::text).toList();
            long[][] expected = EncoderTokenizer.nativeIds(reference, texts);
            for (int i = 0; i < texts.size(); i++) {
                verdict.of(slice.get(i), Arrays.equals(expected[i], rules.tokenize(texts.get(i))));
            }
        }
    }

    /** Each code point alone, inside a word and between upper-case letters. */
    private static String text(List<Integer> group) {
        StringBuilder text = new StringBuilder();
        for (int c : group) {
            String s = new String(Character.toChars(c));
            text.append("ab").append(s).append("cd ").append(s).append(" X").append(s).append("Y ");
        }
        return text.toString();
    }
}
