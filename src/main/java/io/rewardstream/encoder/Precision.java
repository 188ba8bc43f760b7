package io.rewardstream.encoder;

import io.rewardstream.onnx.TokenInt8Graph;
import java.util.Locale;

/**
 * The arithmetic an encoder runs in on the CPU. Both keep a text's vector independent of its batch mates, so the same
 * response always gets the same reward.
 * <ul>
 *   <li>{@code fp32}: the graph as published (or as fine-tuned).</li>
 *   <li>{@code int8}: the same graph with its weight products in int8 ({@link TokenInt8Graph}: weights per output
 *       column, activations per token), rewritten when the encoder loads. About twice as fast on CPUs with int8 dot
 *       products (AVX-512 VNNI, AVX-VNNI); the rewards stay within the tolerance measured in the README
 *       ("Performance").</li>
 * </ul>
 * A CUDA session always runs the fp32 graph: the int8 rewrite is for the CPU's integer units.
 */
public enum Precision {
    FP32, INT8;

    /** The graph a CPU session runs for {@code source} at this precision. */
    public byte[] cpuGraph(EncoderSource source) {
        return this == FP32 ? source.onnxBytes() : TokenInt8Graph.rewrite(source.onnxBytes()).onnx();
    }

    /** {@code fp32} or {@code int8}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return label();
    }

    /** Parses fp32 | int8 (case-insensitive); {@code key} names the setting in the error. */
    public static Precision parse(String key, String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        for (Precision p : values()) {
            if (p.label().equals(v)) {
                return p;
            }
        }
        throw new IllegalArgumentException(key + ": '" + value + "' is not a precision; use fp32 or int8");
    }
}
