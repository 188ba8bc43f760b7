package io.rewardstream.onnx;

import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.List;

/**
 * Writes {@link MeanPooling} as graph nodes: Cast the mask to float, Unsqueeze it to [batch, seq, 1], Mul with the
 * hidden states, ReduceSum over the sequence, divide by max(token count, 1e-9), then divide by
 * max(sqrt(sum of squares), 1e-12).
 */
final class PoolingGraph {

    private PoolingGraph() {
    }

    /**
     * Adds the pooling of {@code hidden} [batch, seq, hidden] under {@code mask} [batch, seq] (int64), naming
     * every value with {@code prefix}.
     *
     * @return the name of the pooled value [batch, hidden]
     */
    static String append(GraphFragment g, String hidden, String mask, String prefix) {
        String maskFloat = g.node("Cast", prefix + "mask_float", List.of(mask),
                OnnxProtos.intAttribute("to", TensorProto.DataType.FLOAT_VALUE));
        String mask3d = g.unsqueeze(prefix + "mask_3d", maskFloat, 2);
        String masked = g.node("Mul", prefix + "masked", hidden, mask3d);
        String sum = g.reduceSum(prefix + "sum", masked, 1, false);
        String count = g.reduceSum(prefix + "count", maskFloat, 1, true);
        String countFloor = g.node("Max", prefix + "count_floor", count,
                g.scalar(prefix + "min_count", MeanPooling.MIN_COUNT));
        String mean = g.node("Div", prefix + "mean", sum, countFloor);
        String squares = g.node("Mul", prefix + "squares", mean, mean);
        String sumSquares = g.reduceSum(prefix + "sum_squares", squares, 1, true);
        String norm = g.node("Sqrt", prefix + "norm", sumSquares);
        String normFloor = g.node("Max", prefix + "norm_floor", norm,
                g.scalar(prefix + "min_norm", MeanPooling.MIN_NORM));
        return g.node("Div", prefix + "pooled", mean, normFloor);
    }
}
