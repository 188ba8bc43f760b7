package io.rewardstream.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads and replaces the values of ONNX tensors (initializers and Constant node values) for code outside this
 * package, such as the fine-tuning encoder, which reads a graph's weights and writes trained ones back.
 */
public final class OnnxTensors {

    private OnnxTensors() {
    }

    /** Parses a serialised model of any size up to the protobuf limit of 2 GB. */
    public static ModelProto parse(byte[] onnx) {
        return OnnxProtos.parse(onnx);
    }

    /** The values of a float tensor, whether stored as raw little-endian bytes or in float_data. */
    public static float[] floats(TensorProto tensor) {
        return OnnxProtos.floats(tensor);
    }

    /** The values of an int64 tensor, whether stored as raw little-endian bytes or in int64_data. */
    public static long[] longs(TensorProto tensor) {
        if (tensor.getDataType() != TensorProto.DataType.INT64_VALUE) {
            throw new IllegalArgumentException("tensor " + tensor.getName() + " is not int64");
        }
        if (tensor.getInt64DataCount() > 0) {
            return tensor.getInt64DataList().stream().mapToLong(Long::longValue).toArray();
        }
        ByteBuffer raw = tensor.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        long[] out = new long[raw.remaining() / Long.BYTES];
        raw.asLongBuffer().get(out);
        return out;
    }

    /** The number of elements the tensor's dims describe (1 for a scalar). */
    public static long elementCount(TensorProto tensor) {
        long count = 1;
        for (long d : tensor.getDimsList()) {
            count *= d;
        }
        return count;
    }

    /**
     * A copy of a float tensor with new values stored as raw data; name, dims and everything else are kept.
     *
     * @throws IllegalArgumentException when the tensor is not float or {@code values} does not fill its dims
     */
    public static TensorProto withFloats(TensorProto tensor, float[] values) {
        if (tensor.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
            throw new IllegalArgumentException("tensor " + tensor.getName() + " is not float");
        }
        if (values.length != elementCount(tensor)) {
            throw new IllegalArgumentException("tensor " + tensor.getName() + " of dims " + tensor.getDimsList()
                    + " holds " + elementCount(tensor) + " values, got " + values.length);
        }
        ByteBuffer raw = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        return tensor.toBuilder().clearFloatData().setRawData(ByteString.copyFrom(raw.array())).build();
    }
}
