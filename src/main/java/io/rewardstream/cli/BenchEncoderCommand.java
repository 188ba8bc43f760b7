package io.rewardstream.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rewardstream.bench.EncoderBenchmark;
import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.encoder.TextEncoder;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bench encoder}: texts/s by sequence length and batch size. */
@Command(name = "encoder", mixinStandardHelpOptions = true,
        description = "Encoder throughput (texts/s) at 64, 128 and 256 tokens for batch sizes 1, 8, 32 and 128.")
final class BenchEncoderCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--encoder", defaultValue = EncoderSource.DEFAULT, description = "Encoder name or directory.")
    String encoder;

    @Option(names = "--threads", defaultValue = "0", description = "ONNX Runtime threads (0: one per core).")
    int threads;

    @Option(names = "--seconds", defaultValue = "3", description = "Minimum measuring time per configuration.")
    double seconds;

    @Option(names = "--lengths", split = ",", defaultValue = "64,128,256", description = "Sequence lengths.")
    int[] lengths;

    @Option(names = "--batch-sizes", split = ",", defaultValue = "1,8,32,128", description = "Batch sizes.")
    int[] batchSizes;

    @Option(names = "--json", description = "Print exactly one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        EncoderSource source = EncoderSource.resolve(encoder);
        List<EncoderBenchmark.Row> rows = new EncoderBenchmark(seconds)
                .run(batch -> TextEncoder.load(source, threads, batch), lengths, batchSizes);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(EncoderBenchmark.json(source.name(), rows)));
        } else {
            out.printf("encoder %s, %d cores%n%8s %6s %10s%n", source.name(), Runtime.getRuntime().availableProcessors(),
                    "tokens", "batch", "texts/s");
            rows.forEach(r -> out.printf("%8d %6d %10.1f%n", r.tokens(), r.batchSize(), r.textsPerSecond()));
        }
        out.flush();
        return Main.OK;
    }
}
