package io.rewardstream.bench;

import io.rewardstream.avro.RolloutResponse;
import io.rewardstream.encoder.InputTensors;
import io.rewardstream.encoder.PaddedBatch;
import io.rewardstream.encoder.TextEncoder;
import io.rewardstream.encoder.TokenSequence;
import io.rewardstream.model.FeatureExtractor;
import io.rewardstream.model.PromptResponse;
import io.rewardstream.model.RewardModel;
import io.rewardstream.onnx.EncoderCost;
import io.rewardstream.scorer.stream.ScoringSerdes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Rates of one loaded model on a list of texts, on the calling thread and the session's own threads: the whole
 * model, the encoder alone with and without length sorting, and the CPU-side preparation. Rates are in items
 * (prompt, response) per second.
 */
final class ModelRates {

    private final RewardModel model;
    private final int batchSize;

    ModelRates(RewardModel model, int batchSize) {
        this.model = model;
        this.batchSize = batchSize;
    }

    /**
     * The model alone (tokenize, lay out, ONNX Runtime, pooling, head) on batches of the batch size: the best of
     * {@code passes} timed passes, after one untimed pass (ONNX Runtime sizes its memory arena per input shape). The
     * prompt cache, if any, is emptied before each pass, so every pass encodes each prompt once.
     */
    double raw(List<PromptResponse> items, int passes) {
        return raw(items, passes, 1);
    }

    /**
     * As {@link #raw(List, int)} with {@code callers} threads scoring at once, batch i on thread i mod callers, the
     * way a scorer with that many stream threads calls the one shared model: the upper bound its pipeline is
     * measured against.
     */
    double raw(List<PromptResponse> items, int passes, int callers) {
        if (callers < 1) {
            throw new IllegalArgumentException("callers must be at least 1, got " + callers);
        }
        ExecutorService pool = callers == 1 ? null : Executors.newFixedThreadPool(callers, r -> {
            Thread t = new Thread(r, "raw-caller");
            t.setDaemon(true);
            return t;
        });
        try {
            model.extractor().promptCache().clear();
            scoreAll(items, pool, callers);
            double best = 0;
            for (int p = 0; p < passes; p++) {
                model.extractor().promptCache().clear();
                long start = System.nanoTime();
                scoreAll(items, pool, callers);
                best = Math.max(best, items.size() / ((System.nanoTime() - start) / 1e9));
            }
            model.extractor().promptCache().clear();
            return best;
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    private void scoreAll(List<PromptResponse> items, ExecutorService pool, int callers) {
        if (pool == null) {
            scoreShare(items, 0, 1);
            return;
        }
        List<Future<?>> shares = new ArrayList<>(callers);
        for (int c = 0; c < callers; c++) {
            int caller = c;
            shares.add(pool.submit(() -> scoreShare(items, caller, callers)));
        }
        for (Future<?> share : shares) {
            try {
                share.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while timing the raw model", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("a raw caller failed: " + e.getCause(), e.getCause());
            }
        }
    }

    private void scoreShare(List<PromptResponse> items, int caller, int callers) {
        for (int from : batchStarts(items.size(), batchSize, caller, callers)) {
            model.score(items.subList(from, Math.min(items.size(), from + batchSize)));
        }
    }

    /** Where the batches of {@code caller} start: batches {@code caller}, {@code caller + callers}, ... */
    static List<Integer> batchStarts(int items, int batchSize, int caller, int callers) {
        List<Integer> starts = new ArrayList<>();
        for (int from = caller * batchSize; from < items; from += callers * batchSize) {
            starts.add(from);
        }
        return starts;
    }

    /**
     * Milliseconds to score each item in a batch of its own (prompt cache emptied before each), after the first
     * {@code min(items, 20)} untimed: the work the item itself brings, whatever it waits for in a pipeline.
     */
    double[] alone(List<PromptResponse> items) {
        items.subList(0, Math.min(items.size(), 20)).forEach(item -> model.score(List.of(item)));
        double[] millis = new double[items.size()];
        for (int i = 0; i < millis.length; i++) {
            model.extractor().promptCache().clear();
            long start = System.nanoTime();
            model.score(List.of(items.get(i)));
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        return millis;
    }

    /**
     * The encoder alone on the sequences of each scorer batch: sorted by length before they are cut into encoder
     * batches (as the scorer does), or cut in arrival order, so each encoder batch pads to its longest member.
     */
    double encode(List<PromptResponse> items, boolean sortByLength) {
        FeatureExtractor extractor = model.extractor();
        TextEncoder encoder = extractor.encoder();
        long start = System.nanoTime();
        for (int from = 0; from < items.size(); from += batchSize) {
            List<TokenSequence> sequences = extractor.sequences(items.subList(from, Math.min(items.size(),
                    from + batchSize)));
            if (sortByLength) {
                encoder.embed(sequences);
            } else {
                slices(sequences, TextEncoder.DEFAULT_BATCH_SIZE).forEach(encoder::embedBatch);
            }
        }
        return items.size() / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * Avro decode, tokenize and lay out, pad and build tensors (cut into calls as the encoder cuts), per scorer batch,
     * on the calling thread.
     */
    double preparation(List<PromptResponse> items) {
        FeatureExtractor extractor = model.extractor();
        ScoringSerdes serdes = ScoringSerdes.forRegistry("mock://bench-prep-" + UUID.randomUUID());
        List<byte[]> frames = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            frames.add(serdes.responses().serializer().serialize("prep", response("prep-" + i, items.get(i))));
        }
        Deserializer<RolloutResponse> decoder = serdes.responses().deserializer();
        long start = System.nanoTime();
        for (int from = 0; from < frames.size(); from += batchSize) {
            List<PromptResponse> batch = new ArrayList<>(batchSize);
            for (byte[] frame : frames.subList(from, Math.min(frames.size(), from + batchSize))) {
                RolloutResponse r = decoder.deserialize("prep", frame);
                batch.add(new PromptResponse(r.getPrompt(), r.getResponse()));
            }
            List<TokenSequence> sequences = new ArrayList<>(extractor.sequences(batch));
            sequences.sort(Comparator.comparingInt(TokenSequence::length));
            for (List<TokenSequence> call : extractor.encoder().subBatches().cut(sequences)) {
                InputTensors.of(PaddedBatch.of(call), extractor.encoder().takesTokenTypes()).close();
            }
        }
        return items.size() / ((System.nanoTime() - start) / 1e9);
    }

    /** Mean tokens per sequence the model encodes for {@code items}, each distinct text once per scorer batch. */
    double meanTokens(List<PromptResponse> items) {
        return model.extractor().sequences(items).stream().mapToInt(TokenSequence::length).average().orElse(0);
    }

    /**
     * Operations per item of the encoder passes {@code items} cost when scored in batches of the batch size: the
     * distinct texts of each batch at their own lengths (padding is not counted: it is work the hardware does, not
     * work the model needs).
     */
    double flopsPerItem(List<PromptResponse> items, EncoderCost cost) {
        double flops = 0;
        for (int from = 0; from < items.size(); from += batchSize) {
            for (TokenSequence s : model.extractor().sequences(items.subList(from, Math.min(items.size(),
                    from + batchSize)))) {
                flops += cost.flops(s.length());
            }
        }
        return flops / items.size();
    }

    private static List<List<TokenSequence>> slices(List<TokenSequence> sequences, int size) {
        List<List<TokenSequence>> slices = new ArrayList<>();
        for (int from = 0; from < sequences.size(); from += size) {
            slices.add(sequences.subList(from, Math.min(sequences.size(), from + size)));
        }
        return slices;
    }

    static RolloutResponse response(String id, PromptResponse item) {
        return RolloutResponse.newBuilder().setResponseId(id).setPrompt(item.prompt()).setResponse(item.response())
                .setCreatedAt(Instant.now()).build();
    }
}
