package io.rewardstream.encoder;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.rewardstream.onnx.MeanPooling;
import io.rewardstream.onnx.PooledEncoderGraph;
import io.rewardstream.runtime.Device;
import io.rewardstream.runtime.InFlightCalls;
import io.rewardstream.runtime.OrtRuntime;
import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A frozen ONNX encoder with its tokenizer, turning token sequences into pooled, normalised vectors.
 * Inputs are sorted by length and padded per batch so that little compute goes to padding.
 * Thread-safe: ONNX Runtime sessions allow concurrent runs and nothing here is mutable after construction.
 *
 * <p>{@link #close} frees the session only once the runs in flight have returned (it waits up to
 * {@link #CLOSE_WAIT}); a run that starts after close fails with a {@code ResourceClosedException}. Freeing a session
 * under a running call would crash the JVM.
 */
public final class TextEncoder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TextEncoder.class);
    public static final int DEFAULT_BATCH_SIZE = 32;
    /** Longest {@link #close} waits for runs in flight; past it the session is left open rather than freed. */
    public static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

    /** Opens an encoder with a given batch size (benchmarks compare batch sizes on the same encoder). */
    @FunctionalInterface
    public interface Factory {
        TextEncoder open(int batchSize);
    }

    private final EncoderSource source;
    private final EncoderTokenizer tokenizer;
    private final OrtSession session;
    private final String outputName;
    private final boolean takesTokenTypes;
    private final int hiddenSize;
    private final boolean pooledInGraph;
    private final SubBatches cuts;
    private final Precision precision;
    private final String identity;
    private final InFlightCalls calls;

    private TextEncoder(EncoderSource source, EncoderTokenizer tokenizer, OrtSession session,
                        EncoderSignature signature, SubBatches cuts, Precision precision) {
        this.source = source;
        this.tokenizer = tokenizer;
        this.session = session;
        this.outputName = signature.outputName();
        this.takesTokenTypes = signature.takesTokenTypes();
        this.hiddenSize = signature.hiddenSize();
        this.pooledInGraph = signature.pooled();
        this.cuts = cuts;
        this.precision = precision;
        this.identity = source.sha256() + "/" + EncoderSource.sha256(source.tokenizerJson()).substring(0, 16) + "/"
                + precision.label();
        this.calls = new InFlightCalls("encoder " + source.name());
    }

    /** Loads and checks an encoder: int64 input_ids and attention_mask, a float [batch, seq, hidden] output. */
    public static TextEncoder load(EncoderSource source, int threads, int batchSize) {
        return load(source, threads, batchSize, Device.CPU);
    }

    /** As {@link #load(EncoderSource, int, int)}, on {@code device} (see {@link OrtRuntime#session}), in fp32. */
    public static TextEncoder load(EncoderSource source, int threads, int batchSize, Device device) {
        return load(source, threads, batchSize, device, Precision.FP32);
    }

    /**
     * As {@link #load(EncoderSource, int, int, Device)}, a CPU session running the graph at {@code precision} (a
     * CUDA session runs the fp32 graph whatever is asked; {@link #precision()} tells which runs).
     */
    public static TextEncoder load(EncoderSource source, int threads, int batchSize, Device device,
                                   Precision precision) {
        EncoderTokenizer tokenizer = new EncoderTokenizer(source.tokenizerJson());
        OrtSession session = null;
        AtomicBoolean onCpu = new AtomicBoolean();
        try {
            session = OrtRuntime.session(() -> pooledInGraph(source, source.onnxBytes()), () -> {
                onCpu.set(true);
                return pooledInGraph(source, precision.cpuGraph(source));
            }, threads, device);
            Precision running = onCpu.get() ? precision : Precision.FP32;
            EncoderSignature signature = EncoderSignature.check(source.name(), session);
            LOG.info("Loaded encoder {} (sha256 {}, hidden size {}, output {}, pooling {}, inputs {}, {})",
                    source.name(), source.sha256().substring(0, 12), signature.hiddenSize(), signature.outputName(),
                    signature.pooled() ? "in the graph" : "in Java", session.getInputNames(), running);
            SubBatches cuts = onCpu.get() ? SubBatches.cpu(batchSize) : SubBatches.fewestCalls(batchSize);
            return new TextEncoder(source, tokenizer, session, signature, cuts, running);
        } catch (OrtException e) {
            closeQuietly(session);
            tokenizer.close();
            throw new EncoderLoadException("encoder " + source.name() + " is not a loadable ONNX graph: "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(session);
            tokenizer.close();
            throw e;
        }
    }

    public EncoderSource source() {
        return source;
    }

    public EncoderTokenizer tokenizer() {
        return tokenizer;
    }

    public int hiddenSize() {
        return hiddenSize;
    }

    /** Where {@link #embed} cuts sorted sequences into calls. */
    public SubBatches subBatches() {
        return cuts;
    }

    /** The arithmetic the session runs in: the one asked for on a CPU, fp32 on CUDA. */
    public Precision precision() {
        return precision;
    }

    /**
     * What makes this encoder's vectors what they are: the graph's sha256, the tokenizer's and the precision. Two
     * encoders with the same identity give every token sequence the same vector.
     */
    public String identity() {
        return identity;
    }

    /** Whether the session returns each text's masked sum (summed in the graph) rather than its hidden states. */
    public boolean poolsInGraph() {
        return pooledInGraph;
    }

    /** Whether the encoder reads token_type_ids. */
    public boolean takesTokenTypes() {
        return takesTokenTypes;
    }

    /** Pooled vector of each sequence, in the order given. */
    public float[][] embed(List<TokenSequence> sequences) {
        return embed(sequences, done -> { });
    }

    /**
     * As {@link #embed(List)}, telling {@code progress} how many sequences are done after each call. The sequences
     * are sorted by length and cut into calls of at most the encoder's batch size where the lengths jump
     * ({@link SubBatches}), so each call pads to little more than its members' length.
     */
    public float[][] embed(List<TokenSequence> sequences, IntConsumer progress) {
        Integer[] order = IntStream.range(0, sequences.size()).boxed()
                .sorted(Comparator.comparingInt(i -> sequences.get(i).length())).toArray(Integer[]::new);
        List<TokenSequence> sorted = Arrays.stream(order).map(sequences::get).toList();
        float[][] pooled = new float[sequences.size()][];
        int from = 0;
        for (List<TokenSequence> call : cuts.cut(sorted)) {
            float[][] vectors = embedBatch(call);
            for (int k = 0; k < call.size(); k++) {
                pooled[order[from + k]] = vectors[k];
            }
            from += call.size();
            progress.accept(from);
        }
        return pooled;
    }

    /** Pooled vectors of one batch, run as given: padded to its longest member, in one call of the session. */
    public float[][] embedBatch(List<TokenSequence> batch) {
        PaddedBatch padded = PaddedBatch.of(batch);
        try (InFlightCalls.Call call = calls.enter();
             InputTensors inputs = InputTensors.of(padded, takesTokenTypes);
             OrtSession.Result result = session.run(inputs.map(), Set.of(outputName))) {
            // One bulk copy of the flat output into a heap buffer whose array is read in place; reading the output as
            // float[][][] goes element by element through reflection.
            FloatBuffer flat = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] values = flat.hasArray() && flat.arrayOffset() == 0 && flat.remaining() == flat.capacity()
                    ? flat.array() : copy(flat);
            return pooledInGraph
                    ? MeanPooling.fromSums(values, padded.mask(), padded.rows(), padded.width(), hiddenSize)
                    : MeanPooling.pool(values, padded.mask(), padded.rows(), padded.width(), hiddenSize);
        } catch (OrtException e) {
            throw new IllegalStateException("encoder " + source.name() + " failed on a batch of " + batch.size(), e);
        }
    }

    /**
     * The graph with the masked sum appended ({@link PooledEncoderGraph}), so that one vector per text leaves the
     * session; a graph the rewrite cannot take (it checks what the export checks) is run as it is and pooled in Java.
     * Both give the same vectors, to the bit.
     */
    private static byte[] pooledInGraph(EncoderSource source, byte[] graph) {
        try {
            return PooledEncoderGraph.rewrite(graph);
        } catch (IllegalArgumentException e) {
            LOG.info("Encoder {}: pooling in Java ({})", source.name(), e.getMessage());
            return graph;
        }
    }

    private static float[] copy(FloatBuffer buffer) {
        float[] values = new float[buffer.remaining()];
        buffer.get(values);
        return values;
    }

    /** Runs of the session in flight now. */
    public int runsInFlight() {
        return calls.running();
    }

    /** Refuses new runs, waits for the ones in flight, then frees the session and the tokenizer. */
    @Override
    public void close() {
        if (calls.drain(CLOSE_WAIT)) {
            closeQuietly(session);
        } else {
            LOG.error("Encoder {} still had {} run(s) in flight after {} s; leaving its session open rather than"
                    + " freeing it under a running call", source.name(), calls.running(), CLOSE_WAIT.toSeconds());
        }
        tokenizer.close();
    }

    private static void closeQuietly(OrtSession session) {
        if (session == null) {
            return;
        }
        try {
            session.close();
        } catch (OrtException e) {
            LOG.warn("Closing an encoder session failed", e);
        }
    }

    /**
     * What the encoder graph offers, checked against what RewardStream needs: either the masked sums of
     * {@link PooledEncoderGraph} (float [batch, hidden]) or hidden states to pool (float [batch, seq, hidden]).
     */
    record EncoderSignature(String outputName, boolean takesTokenTypes, int hiddenSize, boolean pooled) {

        static EncoderSignature check(String name, OrtSession session) throws OrtException {
            Map<String, NodeInfo> inputs = session.getInputInfo();
            for (String required : List.of("input_ids", "attention_mask")) {
                if (!inputs.containsKey(required)) {
                    throw new EncoderLoadException("encoder " + name + " has no input '" + required + "' (inputs: "
                            + inputs.keySet() + ")");
                }
            }
            for (String input : inputs.keySet()) {
                if (!List.of("input_ids", "attention_mask", "token_type_ids").contains(input)) {
                    throw new EncoderLoadException("encoder " + name + " needs input '" + input
                            + "' that RewardStream cannot provide; expected input_ids, attention_mask[, token_type_ids]");
                }
            }
            Map<String, NodeInfo> outputs = session.getOutputInfo();
            boolean pooled = outputs.containsKey(PooledEncoderGraph.OUTPUT);
            String output = pooled ? PooledEncoderGraph.OUTPUT
                    : outputs.containsKey("last_hidden_state") ? "last_hidden_state"
                    : outputs.entrySet().stream().filter(e -> rank(e.getValue()) == 3).map(Map.Entry::getKey)
                    .findFirst().orElseThrow(() -> new EncoderLoadException("encoder " + name
                            + " has no [batch, seq, hidden] output (outputs: " + outputs.keySet() + ")"));
            long[] shape = ((TensorInfo) outputs.get(output).getInfo()).getShape();
            int rank = pooled ? 2 : 3;
            if (shape.length != rank || shape[rank - 1] <= 0) {
                throw new EncoderLoadException("encoder " + name + " output '" + output + "' has shape "
                        + Arrays.toString(shape) + "; expected [batch, " + (pooled ? "" : "seq, ")
                        + "hidden] with a fixed hidden size");
            }
            return new EncoderSignature(output, inputs.containsKey("token_type_ids"), (int) shape[rank - 1], pooled);
        }

        private static int rank(NodeInfo info) {
            return info.getInfo() instanceof TensorInfo t ? t.getShape().length : -1;
        }
    }
}
