package io.rewardstream.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import io.rewardstream.onnx.MeanPooling;
import io.rewardstream.onnx.TinyEncoders;
import io.rewardstream.runtime.Device;
import io.rewardstream.runtime.OrtRuntime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where the encoder's pooling runs: in the graph when the graph allows it, else in Java, with the same vectors. */
class TextEncoderPoolingTest {

    private static final List<String> TEXTS = List.of("How do I bake bread?", "Mix flour, water, yeast and salt,"
            + " knead it, let it rise and bake it for forty minutes.", "No.");

    @Test
    void shouldSumTheDefaultEncoderInItsGraphToTheBitsOfJavaPooling() throws Exception {
        EncoderSource source = EncoderSource.resolve(EncoderSource.DEFAULT);
        try (TextEncoder encoder = TextEncoder.load(source, 1, 8, Device.CPU, Precision.FP32)) {
            List<TokenSequence> batch = sequences(encoder);

            float[][] inGraph = encoder.embedBatch(batch);

            assertThat(encoder.poolsInGraph()).isTrue();
            assertSame(inGraph, javaPooling(source.onnxBytes(), batch));
        }
    }

    @Test
    void shouldGiveATextTheSameBitsInTheGraphWhateverThePaddingOfItsBatch() {
        EncoderSource source = EncoderSource.resolve(EncoderSource.DEFAULT);
        try (TextEncoder encoder = TextEncoder.load(source, 1, 8, Device.CPU, Precision.FP32)) {
            TokenLayout layout = encoder.tokenizer().layout(256);
            List<TokenSequence> texts = java.util.Arrays.stream(encoder.tokenizer().tokenize(List.of(
                    "Sure, here you go.", "Here is a long answer that goes on and on about bread. ".repeat(20))))
                    .map(layout::responseAlone).toList();

            float[] alone = encoder.embedBatch(texts.subList(0, 1))[0];
            float[] paddedTo256 = encoder.embedBatch(texts)[0];

            assertThat(texts.get(1).length()).isEqualTo(256);
            assertThat(paddedTo256).containsExactly(alone);
        }
    }

    @Test
    void shouldGiveEveryTextOfAMixedListTheBitsItHasAloneWhereverTheCallsAreCut() {
        EncoderSource source = EncoderSource.resolve(EncoderSource.DEFAULT);
        try (TextEncoder encoder = TextEncoder.load(source, 1, 4, Device.CPU, Precision.FP32)) {
            TokenLayout layout = encoder.tokenizer().layout(256);
            List<String> words = List.of("No.", "Sure.", "Bake it for forty minutes at two hundred degrees.",
                    "Here is a long answer that goes on and on about bread. ".repeat(12), "Yes, please do.",
                    "I would not do that.", "Flour, water, salt.", "Knead the dough until it is smooth. ".repeat(4));
            List<TokenSequence> texts = java.util.Arrays.stream(encoder.tokenizer().tokenize(words))
                    .map(layout::responseAlone).toList();
            java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();

            float[][] vectors = encoder.embed(texts, done -> calls.incrementAndGet());

            // 8 texts in calls of at most 4: the cuts follow the lengths, not every fourth text
            assertThat(calls.get()).isGreaterThan(2);
            for (int i = 0; i < texts.size(); i++) {
                assertThat(vectors[i]).as(words.get(i)).containsExactly(encoder.embedBatch(texts.subList(i, i + 1))[0]);
            }
        }
    }

    @Test
    void shouldPoolInJavaAnEncoderTheGraphRewriteRefuses() throws Exception {
        // Given an encoder at ai.onnx opset 10, which ONNX Runtime runs but the pooling nodes are not written for
        float[] table = TinyEncoders.embeddingTable(4);
        ModelProto tiny = ModelProto.parseFrom(TinyEncoders.embeddingLookup(table, "last_hidden_state"));
        byte[] opset10 = tiny.toBuilder().clearOpsetImport()
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(10)).build().toByteArray();
        EncoderSource source = new EncoderSource("tiny-opset-10", false, opset10,
                EncoderSource.resolve(EncoderSource.MINILM).tokenizerJson());

        try (TextEncoder encoder = TextEncoder.load(source, 1, 8, Device.CPU, Precision.FP32)) {
            List<TokenSequence> batch = sequences(encoder);

            float[][] vectors = encoder.embedBatch(batch);

            assertThat(encoder.poolsInGraph()).isFalse();
            assertSame(vectors, javaPooling(opset10, batch));
        }
    }

    private static List<TokenSequence> sequences(TextEncoder encoder) {
        TokenLayout layout = encoder.tokenizer().layout(64);
        return java.util.Arrays.stream(encoder.tokenizer().tokenize(TEXTS)).map(layout::responseAlone).toList();
    }

    /** The graph as given in ONNX Runtime, its first output pooled by {@link MeanPooling}. */
    private static float[][] javaPooling(byte[] graph, List<TokenSequence> batch) throws Exception {
        PaddedBatch padded = PaddedBatch.of(batch);
        long[][] ids = new long[padded.rows()][padded.width()];
        long[][] mask = new long[padded.rows()][padded.width()];
        for (int r = 0; r < padded.rows(); r++) {
            for (int t = 0; t < padded.width(); t++) {
                ids[r][t] = padded.ids()[r * padded.width() + t];
                mask[r][t] = padded.mask()[r * padded.width() + t];
            }
        }
        try (OrtSession session = OrtRuntime.cpuSession(graph, 1);
             OnnxTensor idTensor = OnnxTensor.createTensor(OrtRuntime.environment(), ids);
             OnnxTensor maskTensor = OnnxTensor.createTensor(OrtRuntime.environment(), mask);
             OnnxTensor types = OnnxTensor.createTensor(OrtRuntime.environment(), new long[padded.rows()][padded.width()])) {
            Map<String, OnnxTensor> inputs = session.getInputNames().contains("token_type_ids")
                    ? Map.of("input_ids", idTensor, "attention_mask", maskTensor, "token_type_ids", types)
                    : Map.of("input_ids", idTensor, "attention_mask", maskTensor);
            try (OrtSession.Result result = session.run(inputs)) {
                return MeanPooling.pool((float[][][]) result.get(0).getValue(), mask);
            }
        }
    }

    private static void assertSame(float[][] actual, float[][] expected) {
        assertThat(actual).hasNumberOfRows(expected.length);
        for (int r = 0; r < expected.length; r++) {
            assertThat(actual[r]).as("row %d", r).containsExactly(expected[r]);
        }
    }
}
