package io.rewardstream.bench;

import io.rewardstream.encoder.TextEncoder;
import io.rewardstream.encoder.TokenLayout;
import io.rewardstream.encoder.TokenSequence;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Encoder throughput (texts/s) by sequence length and batch size: tokenization, ONNX Runtime and pooling,
 * measured after a warm-up for at least {@code minSeconds} per configuration.
 */
public final class EncoderBenchmark {

    /** One measured configuration. */
    public record Row(int tokens, int batchSize, int texts, double seconds, double textsPerSecond) {
    }

    private static final String TEXT = "Reward models learn which of two answers people prefer, and a policy then"
            + " learns to write answers that the reward model scores highly. ";

    private final double minSeconds;

    public EncoderBenchmark(double minSeconds) {
        this.minSeconds = minSeconds;
    }

    public List<Row> run(TextEncoder.Factory factory, int[] lengths, int[] batchSizes) {
        List<Row> rows = new ArrayList<>();
        for (int batchSize : batchSizes) {
            try (TextEncoder encoder = factory.open(batchSize)) {
                for (int tokens : lengths) {
                    rows.add(measure(encoder, tokens, batchSize));
                }
            }
        }
        return rows;
    }

    private Row measure(TextEncoder encoder, int tokens, int batchSize) {
        TokenLayout layout = encoder.tokenizer().layout(tokens);
        List<String> texts = new ArrayList<>(batchSize);
        for (int i = 0; i < batchSize; i++) {
            texts.add(i + " " + TEXT.repeat(1 + tokens / 20));
        }
        encoder.embed(sequences(encoder, layout, texts));
        int done = 0;
        long start = System.nanoTime();
        double elapsed;
        do {
            encoder.embed(sequences(encoder, layout, texts));
            done += batchSize;
            elapsed = (System.nanoTime() - start) / 1e9;
        } while (elapsed < minSeconds || done < 2 * batchSize);
        return new Row(tokens, batchSize, done, elapsed, done / elapsed);
    }

    private static List<TokenSequence> sequences(TextEncoder encoder, TokenLayout layout, List<String> texts) {
        List<TokenSequence> sequences = new ArrayList<>(texts.size());
        for (long[] ids : encoder.tokenizer().tokenize(texts)) {
            sequences.add(layout.responseAlone(ids));
        }
        return sequences;
    }

    public static Map<String, Object> json(String encoder, List<Row> rows) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("encoder", encoder);
        for (Row row : rows) {
            json.put("texts_per_s_len" + row.tokens() + "_batch" + row.batchSize(), Math.round(row.textsPerSecond() * 10) / 10.0);
        }
        json.put("rows", rows);
        return json;
    }
}
