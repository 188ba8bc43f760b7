package io.rewardstream.cli;

import io.rewardstream.topologydocs.TopologyFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code topology}: writes (or checks) the description and diagram of each role's topology. */
@Command(name = "topology", mixinStandardHelpOptions = true,
        description = {"Write each role's Kafka Streams topology description (ROLE.txt) and a Mermaid diagram of it"
                + " (ROLE.md), as the code builds them with the default settings.",
            "With --check, write nothing and exit 1 naming the files that are missing or differ."})
final class TopologyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", defaultValue = "topology", paramLabel = "DIR",
            description = "Folder of the files (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--check", description = "Compare instead of writing.")
    boolean check;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        if (check) {
            List<String> stale = TopologyFiles.stale(out);
            if (!stale.isEmpty()) {
                spec.commandLine().getErr().println("stale in " + out + ": " + String.join(", ", stale)
                        + " (run: java -jar target/rewardstream.jar topology)");
                return Main.FAILURE;
            }
            stdout.println(out + " matches the code");
        } else {
            TopologyFiles.write(out).forEach(p -> stdout.println("wrote " + p));
        }
        stdout.flush();
        return Main.OK;
    }
}
