package io.rewardstream.cli;

import io.rewardstream.model.ModelExport;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code export}: one standalone ONNX file with tokenizer.json and manifest.json beside it. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a model as ONE ONNX file (encoder + pooling + head, output \"reward\")"
                + " with tokenizer.json and manifest.json written beside it.")
final class ExportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory.")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "FILE.onnx", description = "ONNX file to write.")
    Path out;

    @Override
    public Integer call() {
        Map<String, Object> manifest = ModelExport.write(model, out);
        spec.commandLine().getOut().printf("exported %s v%s (%s encoding) to %s; tokenizer.json and manifest.json"
                + " beside it%n", manifest.get("name"), manifest.get("version"), manifest.get("encoding"), out);
        spec.commandLine().getOut().flush();
        return Main.OK;
    }
}
