package io.rewardstream.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import io.rewardstream.head.FeatureLayout;
import io.rewardstream.head.HeadWeights;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds one ONNX model that turns token ids into the raw reward: the encoder (once for {@link FeatureLayout#JOINT},
 * twice with shared weights for {@link FeatureLayout#SEPARATE}), the mean pooling of {@link MeanPooling}, the
 * features of the layout and the head. Inputs are int64 [batch, seq]: input_ids, attention_mask, token_type_ids,
 * each prefixed with "prompt_" and "response_" for SEPARATE; token_type_ids inputs are always present and ignored
 * when the encoder does not read them. Output {@value #OUTPUT}: float [batch, 1].
 */
public final class StandaloneExport {

    /** Name of the exported model's output, the raw reward. */
    public static final String OUTPUT = HeadOnnx.OUTPUT;
    /** Metadata key holding the layout's manifest name ("joint" or "separate"). */
    public static final String ENCODING_KEY = "rewardstream.encoding";
    /** Token inputs of the exported model per side, before any "prompt_" or "response_" prefix. */
    public static final List<String> TOKEN_INPUTS =
            List.of(EncoderGraph.INPUT_IDS, EncoderGraph.ATTENTION_MASK, EncoderGraph.TOKEN_TYPE_IDS);

    private static final Logger LOG = LoggerFactory.getLogger(StandaloneExport.class);

    private StandaloneExport() {
    }

    /**
     * Combines an encoder model and a head into one model.
     *
     * @throws IllegalArgumentException if the encoder does not fit (inputs, output to pool, opset) or the head's
     *                                  width does not match the layout's features
     */
    public static byte[] build(byte[] encoderOnnx, FeatureLayout layout, HeadWeights head) {
        EncoderGraph encoder = EncoderGraph.of(OnnxProtos.parse(encoderOnnx));
        checkWidth(encoder, layout, head);
        List<String> sides = layout == FeatureLayout.JOINT ? List.of("") : List.of("prompt", "response");
        GraphProto.Builder graph = GraphProto.newBuilder().setName("rewardstream_" + layout.manifestName())
                .addAllInitializer(encoder.initializers());
        sides.forEach(side -> addEncoder(graph, encoder, side));
        GraphFragment fragment = new GraphFragment(encoder.opset(), GraphFragment.namesIn(graph));
        List<String> pooled = sides.stream().map(side -> PoolingGraph.append(fragment,
                valueName(side, encoder.hiddenOutput()), inputName(side, EncoderGraph.ATTENTION_MASK),
                valueName(side, "pool/"))).toList();
        String features = layout == FeatureLayout.JOINT ? pooled.get(0)
                : separateFeatures(fragment, pooled.get(0), pooled.get(1));
        HeadGraph.append(fragment, head, features, OUTPUT);
        fragment.addTo(graph);
        graph.addOutput(OnnxProtos.tensorInfo(OUTPUT, TensorProto.DataType.FLOAT, "batch", 1));
        byte[] bytes = model(encoder.model(), graph.build(), layout).toByteArray();
        LOG.info("Exported a {} reward model of {} bytes: {} nodes, pooling encoder output '{}' at ai.onnx opset {}",
                layout.manifestName(), bytes.length, graph.getNodeCount(), encoder.hiddenOutput(), encoder.opset());
        return bytes;
    }

    private static void checkWidth(EncoderGraph encoder, FeatureLayout layout, HeadWeights head) {
        if (encoder.hiddenSize() <= 0) {
            LOG.warn("The encoder's hidden size is symbolic; the head's width {} is not checked", head.inputWidth());
        } else if (layout.featureWidth((int) encoder.hiddenSize()) != head.inputWidth()) {
            throw new IllegalArgumentException("the head takes " + head.inputWidth() + " features but a "
                    + layout.manifestName() + " encoding of hidden size " + encoder.hiddenSize() + " gives "
                    + layout.featureWidth((int) encoder.hiddenSize()));
        }
    }

    /** Adds one side's inputs and a copy of the encoder's nodes reading them. */
    private static void addEncoder(GraphProto.Builder graph, EncoderGraph encoder, String side) {
        String sequence = side.isEmpty() ? "sequence" : side + "_sequence";
        for (String input : TOKEN_INPUTS) {
            graph.addInput(OnnxProtos.tensorInfo(inputName(side, input), TensorProto.DataType.INT64, "batch", sequence));
        }
        Set<String> shared = encoder.initializerNames();
        graph.addAllNode(encoder.copyNodes(new NodeRenamer(name -> shared.contains(name) ? name
                : TOKEN_INPUTS.contains(name) ? inputName(side, name) : valueName(side, name))));
    }

    /** concat(y, p * y, |p - y|) along the feature axis. */
    private static String separateFeatures(GraphFragment g, String prompt, String response) {
        String product = g.node("Mul", "features/prompt_times_response", prompt, response);
        String difference = g.node("Sub", "features/prompt_minus_response", prompt, response);
        String distance = g.node("Abs", "features/abs_prompt_minus_response", difference);
        return g.node("Concat", "features", List.of(response, product, distance),
                OnnxProtos.intAttribute("axis", 1));
    }

    private static String inputName(String side, String input) {
        return side.isEmpty() ? input : side + "_" + input;
    }

    private static String valueName(String side, String value) {
        return side.isEmpty() ? value : side + "/" + value;
    }

    /** The encoder's model with the new graph: same IR version, opset imports, functions and metadata. */
    private static ModelProto model(ModelProto encoder, GraphProto graph, FeatureLayout layout) {
        List<StringStringEntryProto> metadata = encoder.getMetadataPropsList().stream()
                .filter(p -> !p.getKey().equals(ENCODING_KEY)).toList();
        return encoder.toBuilder()
                .setGraph(graph)
                .clearTrainingInfo()
                .setProducerName("rewardstream")
                .clearProducerVersion()
                .setDocString("Reward model: " + layout.manifestName() + " encoding, mean pooling, reward head")
                .clearMetadataProps()
                .addAllMetadataProps(metadata)
                .addMetadataProps(StringStringEntryProto.newBuilder().setKey(ENCODING_KEY).setValue(layout.manifestName()))
                .build();
    }
}
