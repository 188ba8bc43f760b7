package io.rewardstream.learning.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.encoder.TokenSequence;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A BERT-family ONNX encoder loaded into PyTorch (DJL) with every parameter trainable, pooling as the ONNX graph is
 * pooled when served (masked mean of its output, L2-normalised). After training, {@link #toOnnx()} writes the
 * weights back into the original graph for ONNX Runtime.
 *
 * <p>Owns native memory: close it. Not thread-safe.
 */
public final class TrainableEncoder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrainableEncoder.class);

    private final EncoderSource source;
    private final BertGraph graph;
    private final NDManager manager;
    private final BertParameters params;
    private final BertEncoder encoder;

    private TrainableEncoder(EncoderSource source, BertGraph graph, NDManager manager, BertParameters params) {
        this.source = source;
        this.graph = graph;
        this.manager = manager;
        this.params = params;
        this.encoder = new BertEncoder(params);
    }

    /**
     * Loads an encoder's graph and weights into PyTorch.
     *
     * @param threads PyTorch intra-op threads for the whole JVM (0 keeps the current setting)
     * @throws io.rewardstream.encoder.EncoderLoadException when the graph is not a float32 BERT encoder
     */
    public static TrainableEncoder load(EncoderSource source, int threads) {
        BertGraph graph = BertGraph.read(source.name(), source.onnxBytes());
        BertWeights weights = graph.weights();
        NDManager manager = PyTorchRuntime.newManager(threads);
        try {
            TrainableEncoder loaded = new TrainableEncoder(source, graph, manager, BertParameters.of(weights, manager));
            LOG.info("Loaded encoder {} for fine-tuning: {}, output {}, {} parameters", source.name(), graph.shape(),
                    graph.output(), graph.shape().parameterCount());
            return loaded;
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public BertShape shape() {
        return graph.shape();
    }

    public EncoderOutput output() {
        return graph.output();
    }

    /** The pooled, normalised vector of each sequence, computed without recording gradients. */
    public float[][] embed(List<TokenSequence> sequences) {
        TokenBatch batch = TokenBatch.of(sequences, shape());
        try (NDManager step = manager.newSubManager(); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            return rows(pooled(batch, step), batch.size());
        }
    }

    /** The [batch, seq, hidden] states the ONNX graph outputs for pooling, computed without gradients. */
    float[][][] outputStates(List<TokenSequence> sequences) {
        TokenBatch batch = TokenBatch.of(sequences, shape());
        try (NDManager step = manager.newSubManager(); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray states = outputStates(batch.toArrays(step));
            int seq = (int) states.getShape().get(1);
            int hidden = shape().hidden();
            float[] flat = states.toFloatArray();
            float[][][] out = new float[batch.size()][seq][hidden];
            for (int row = 0; row < batch.size(); row++) {
                for (int t = 0; t < seq; t++) {
                    System.arraycopy(flat, (row * seq + t) * hidden, out[row][t], 0, hidden);
                }
            }
            return out;
        }
    }

    /** [batch, hidden] pooled vectors of a batch, as a differentiable NDArray of {@code step}'s scope. */
    NDArray pooled(TokenBatch batch, NDManager step) {
        NDList in = batch.toArrays(step);
        return MaskedMeanPooling.pool(outputStates(in), in.get(2));
    }

    /**
     * The states the graph outputs, from the ids, type ids and mask of {@link TokenBatch#toArrays}; type 0
     * throughout when the graph takes no type ids.
     */
    private NDArray outputStates(NDList in) {
        NDArray types = graph.readsTokenTypes() ? in.get(1) : in.get(1).zerosLike();
        return graph.output().select(encoder.layerStates(in.get(0), types, in.get(2)));
    }

    BertParameters parameters() {
        return params;
    }

    BertEncoder bert() {
        return encoder;
    }

    /** ids, type ids (all 0 when the graph takes none) and float mask of a batch, in {@code manager}. */
    NDList inputs(TokenBatch batch, NDManager manager) {
        NDList in = batch.toArrays(manager);
        NDArray types = graph.readsTokenTypes() ? in.get(1) : in.get(1).zerosLike();
        return new NDList(in.get(0), types, in.get(2));
    }

    /** Where this encoder was loaded from. */
    EncoderSource source() {
        return source;
    }

    /** Replaces the values of the named parameters (copies), e.g. to restore a checkpoint. */
    void setWeights(java.util.Map<String, float[]> values) {
        values.forEach((name, v) -> params.get(name).set(v));
    }

    NDManager manager() {
        return manager;
    }

    /** The current weights, copied out of native memory. */
    public BertWeights weights() {
        return params.toWeights();
    }

    /** The original ONNX graph with the current weights in place of the loaded ones. */
    public byte[] toOnnx() {
        return graph.withWeights(weights());
    }

    /** An encoder source for ONNX Runtime ({@code TextEncoder}) serving the current weights. */
    public EncoderSource toEncoderSource(String name) {
        return new EncoderSource(name, false, toOnnx(), source.tokenizerJson());
    }

    private static float[][] rows(NDArray matrix, int rows) {
        float[] flat = matrix.toFloatArray();
        int width = flat.length / rows;
        float[][] out = new float[rows][width];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(flat, r * width, out[r], 0, width);
        }
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
