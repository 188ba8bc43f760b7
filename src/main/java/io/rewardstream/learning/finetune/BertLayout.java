package io.rewardstream.learning.finetune;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import io.rewardstream.encoder.EncoderLoadException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Finds a BERT encoder's sizes, parameters and output in an ONNX graph, refusing what does not fit. */
final class BertLayout {

    private final String encoder;
    private final GraphIndex index;
    private final String prefix;

    BertLayout(String encoder, GraphIndex index) {
        this.encoder = encoder;
        this.index = index;
        this.prefix = index.initializerNames().stream().filter(n -> n.endsWith(BertNames.WORD_EMBEDDINGS))
                .map(n -> n.substring(0, n.length() - BertNames.WORD_EMBEDDINGS.length())).sorted().findFirst()
                .orElseThrow(() -> refuse("it has no initializer named *" + BertNames.WORD_EMBEDDINGS));
    }

    BertShape shape() {
        long[] words = named(BertNames.WORD_EMBEDDINGS).getDimsList().stream().mapToLong(Long::longValue).toArray();
        if (words.length != 2) {
            throw refuse(BertNames.WORD_EMBEDDINGS + " has dims " + Arrays.toString(words) + ", expected [vocab, hidden]");
        }
        int layers = layerCount();
        int hidden = (int) words[1];
        return new BertShape(layers, hidden, heads(hidden), (int) firstDim(BertNames.bias(
                BertNames.layer(0, "intermediate.dense"))), (int) words[0],
                (int) firstDim(BertNames.POSITION_EMBEDDINGS), (int) firstDim(BertNames.TOKEN_TYPE_EMBEDDINGS));
    }

    /** Each parameter's initializer, checked to be float with the dims {@code shape} gives it. */
    Map<String, String> initializerNames(BertShape shape) {
        Map<String, String> names = new LinkedHashMap<>();
        for (String param : BertNames.all(shape.layers())) {
            String init = isProjectionWeight(param) ? projectionWeight(param) : prefix + param;
            TensorProto t = index.initializer(init).orElseThrow(() -> refuse("it has no initializer " + init));
            long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
            if (t.getDataType() != TensorProto.DataType.FLOAT_VALUE || !Arrays.equals(dims, shape.dimsOf(param))) {
                throw refuse("parameter " + param + " (initializer " + init + ") is " + TensorProto.DataType
                        .forNumber(t.getDataType()) + " " + Arrays.toString(dims) + ", expected FLOAT "
                        + Arrays.toString(shape.dimsOf(param)));
            }
            names.put(param, init);
        }
        return names;
    }

    /** Whether the graph's pooled output is the last layer's hidden states or the mean of all layers'. */
    EncoderOutput output(GraphProto graph, int layers) {
        String out = pooledOutput(graph);
        List<String> layerOutputs = new ArrayList<>();
        for (int n = 0; n < layers; n++) {
            layerOutputs.add(layerOutput(n));
        }
        if (out.equals(layerOutputs.get(layers - 1))) {
            return EncoderOutput.LAST_LAYER;
        }
        Optional<NodeProto> mean = index.producer(out).filter(node -> node.getOpType().equals("Mean"));
        if (mean.isPresent() && mean.get().getInputList().equals(layerOutputs)) {
            return EncoderOutput.LAYER_MEAN;
        }
        throw refuse("its output '" + out + "' is neither the last layer's hidden states nor the mean of all "
                + layers + " layers' hidden states");
    }

    /** The output TextEncoder pools: last_hidden_state if there is one, else the first rank-3 output. */
    private String pooledOutput(GraphProto graph) {
        List<ValueInfoProto> outputs = graph.getOutputList();
        return outputs.stream().filter(o -> o.getName().equals("last_hidden_state")).findFirst()
                .or(() -> outputs.stream().filter(o -> o.getType().getTensorType().getShape().getDimCount() == 3)
                        .findFirst())
                .map(ValueInfoProto::getName)
                .orElseThrow(() -> refuse("it has no [batch, seq, hidden] output"));
    }

    /** The value a layer ends with: the output of the node that applies its last LayerNorm's bias. */
    private String layerOutput(int n) {
        String bias = prefix + BertNames.bias(BertNames.layer(n, "output.LayerNorm"));
        List<NodeProto> readers = index.consumers(bias);
        if (readers.size() != 1 || readers.get(0).getOutputCount() < 1) {
            throw refuse("the bias " + bias + " is read by " + readers.size() + " nodes, expected one");
        }
        return readers.get(0).getOutput(0);
    }

    private int layerCount() {
        int layers = 0;
        while (index.initializer(prefix + BertNames.bias(BertNames.layer(layers, "attention.self.query")))
                .isPresent()) {
            layers++;
        }
        if (layers == 0) {
            throw refuse("it has no initializer " + prefix + BertNames.bias(BertNames.layer(0, "attention.self.query")));
        }
        return layers;
    }

    /** The head count, read from the Reshape of layer 0's query projection into [batch, seq, heads, head size]. */
    private int heads(int hidden) {
        String query = projectionAdd(BertNames.layer(0, "attention.self.query")).getOutput(0);
        long[] dims = index.soleConsumer(query, "Reshape").flatMap(r -> index.shapeDims(r.getInput(1)))
                .orElseThrow(() -> refuse("the number of attention heads cannot be read: layer 0's query projection"
                        + " is not reshaped by one Reshape with a known [batch, seq, heads, head size] shape"));
        if (dims.length != 4 || dims[2] <= 0 || dims[2] * dims[3] != hidden) {
            throw refuse("layer 0's query projection is reshaped to " + Arrays.toString(dims)
                    + ", expected [batch, seq, heads, head size] with heads * head size = " + hidden);
        }
        return (int) dims[2];
    }

    private static boolean isProjectionWeight(String param) {
        return param.endsWith(".weight") && !param.contains("LayerNorm") && !param.startsWith("embeddings.");
    }

    /** The initializer a MatMul multiplies by before the Add of the projection's named bias. */
    private String projectionWeight(String weightParam) {
        String module = weightParam.substring(0, weightParam.length() - ".weight".length());
        NodeProto add = projectionAdd(module);
        String bias = prefix + BertNames.bias(module);
        String product = add.getInput(0).equals(bias) ? add.getInput(1) : add.getInput(0);
        NodeProto matMul = index.producer(product).filter(n -> n.getOpType().equals("MatMul"))
                .orElseThrow(() -> refuse("the bias " + bias + " is not added to a MatMul's output"));
        return matMul.getInputList().stream().filter(in -> index.initializer(in).isPresent()).findFirst()
                .orElseThrow(() -> refuse("the MatMul before the bias " + bias + " has no weight initializer"));
    }

    private NodeProto projectionAdd(String module) {
        String bias = prefix + BertNames.bias(module);
        named(BertNames.bias(module));
        return index.soleConsumer(bias, "Add")
                .orElseThrow(() -> refuse("the bias " + bias + " is not added by exactly one Add node"));
    }

    private TensorProto named(String param) {
        return index.initializer(prefix + param).orElseThrow(() -> refuse("it has no initializer " + prefix + param));
    }

    private long firstDim(String param) {
        TensorProto t = named(param);
        if (t.getDimsCount() == 0) {
            throw refuse("initializer " + prefix + param + " is a scalar");
        }
        return t.getDims(0);
    }

    private EncoderLoadException refuse(String reason) {
        return new EncoderLoadException("encoder " + encoder + " cannot be fine-tuned as a BERT encoder: " + reason);
    }
}
