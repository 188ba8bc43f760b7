package io.rewardstream.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rewardstream.bench.SerdeBenchmark;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bench serde}: registry serde against plain Avro, ScoredResponse-sized records, warm cache. */
@Command(name = "serde", mixinStandardHelpOptions = true,
        description = "Measures serialize and deserialize throughput of ScoredResponse records through the "
                + "schema-registry serde (in-memory registry, warm cache) against plain Avro binary, in one run.")
public final class BenchSerdeCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--records", defaultValue = "10000", description = "Records per round (default: ${DEFAULT-VALUE}).")
    private int records;

    @Option(names = "--rounds", defaultValue = "5", description = "Measured rounds (default: ${DEFAULT-VALUE}).")
    private int rounds;

    @Option(names = "--warmup", defaultValue = "3", description = "Warm-up rounds (default: ${DEFAULT-VALUE}).")
    private int warmup;

    @Option(names = "--seed", defaultValue = "7", description = "Seed of the generated records (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    private boolean json;

    @Override
    public Integer call() throws Exception {
        SerdeBenchmark.Result result = new SerdeBenchmark().run(
                new SerdeBenchmark.Options(records, warmup, rounds, seed));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(toJson(result));
        } else {
            out.printf("records/round %d, rounds %d, mean Avro payload %.0f bytes%n",
                    result.records(), result.measuredRounds(), result.meanRecordBytes());
            out.printf("%-12s %14s %14s %14s%n", "path", "serialize/s", "deserialize/s", "round trip/s");
            out.printf("%-12s %,14.0f %,14.0f %,14.0f%n", "serde", result.serdeSerializePerSecond(),
                    result.serdeDeserializePerSecond(), result.serdePerSecond());
            out.printf("%-12s %,14.0f %,14.0f %,14.0f%n", "plain avro", result.plainSerializePerSecond(),
                    result.plainDeserializePerSecond(), result.plainPerSecond());
            out.printf("ratio (serde / plain avro, round trip): %.3f%n", result.ratio());
        }
        out.flush();
        return 0;
    }

    static String toJson(SerdeBenchmark.Result result) throws Exception {
        ObjectNode node = new ObjectMapper().createObjectNode()
                .put("serde_per_s", result.serdePerSecond())
                .put("plain_avro_per_s", result.plainPerSecond())
                .put("ratio", result.ratio())
                .put("serde_serialize_per_s", result.serdeSerializePerSecond())
                .put("serde_deserialize_per_s", result.serdeDeserializePerSecond())
                .put("plain_avro_serialize_per_s", result.plainSerializePerSecond())
                .put("plain_avro_deserialize_per_s", result.plainDeserializePerSecond())
                .put("records", result.records())
                .put("rounds", result.measuredRounds())
                .put("mean_record_bytes", result.meanRecordBytes());
        return new ObjectMapper().writeValueAsString(node);
    }
}
