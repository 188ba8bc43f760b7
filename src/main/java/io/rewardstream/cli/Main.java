package io.rewardstream.cli;

import io.rewardstream.common.BadInputException;
import io.rewardstream.encoder.EncoderLoadException;
import io.rewardstream.model.ModelFormatException;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** Entry point of {@code java -jar rewardstream.jar}: parses the command line and runs one command. */
@Command(name = "rewardstream", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Online reward-model service for RLHF on Kafka: train, evaluate, score and export reward models.",
        subcommands = {DemoCommand.class, OfflineDemoCommand.class, RunCommand.class, ServeCommand.class,
            MonitorCommand.class, TrainCommand.class, EvalCommand.class, ScoreCommand.class, ExportCommand.class,
            ImportEncoderCommand.class, TopologyCommand.class, KeysCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    /** Exit code for success. */
    public static final int OK = 0;
    /** Exit code for a failure that is not the user's input. */
    public static final int FAILURE = 1;
    /** Exit code for bad usage or bad input. */
    public static final int BAD_INPUT = 2;
    /** Exit code of a run the user stopped (Ctrl-C) after it saved what it can resume from: 128 + SIGINT. */
    public static final int STOPPED = 130;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, also used by tests. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExitCodeExceptionMapper(Main::exitCode);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + message(e));
            if (exitCode(e) == FAILURE) {
                e.printStackTrace(commandLine.getErr());
            }
            return exitCode(e);
        });
        return cli;
    }

    static int exitCode(Throwable e) {
        if (e instanceof CommandLine.ParameterException || e instanceof BadInputException
                || e instanceof ModelFormatException || e instanceof EncoderLoadException) {
            return BAD_INPUT;
        }
        return FAILURE;
    }

    private static String message(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    /** Reports the version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"RewardStream " + (version == null ? "(development build)" : version)};
        }
    }
}
