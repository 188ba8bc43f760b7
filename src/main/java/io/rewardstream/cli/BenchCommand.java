package io.rewardstream.cli;

import picocli.CommandLine.Command;

/** {@code bench}: commands that print measured figures. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks: each prints figures, or exactly one JSON object with --json.",
        subcommands = {BenchScorerCommand.class, BenchServeCommand.class, BenchEncoderCommand.class,
            BenchTrainCommand.class, BenchAccuracyCommand.class, BenchSerdeCommand.class, BenchTrainerCommand.class,
            BenchChaosCommand.class,
            BenchSoakCommand.class})
final class BenchCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a benchmark is required");
    }
}
