package io.readout.jobs.cli;

import io.readout.jobs.cli.bench.BenchCommand;
import io.readout.jobs.spark.SparkSessions;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The {@code readout} command line: the one place that lists the commands. Each command parses and
 * validates, then calls its job; every user error ends as one line on stderr and exit code 2, any other
 * failure as exit code 1 ({@link ExitCodes}). Commands reach the Spark session and the output streams
 * through {@link CommandContext}, which this class is. {@link #execute} is the entry point tests call;
 * only {@link #main} exits the JVM.
 */
@Command(name = "readout", mixinStandardHelpOptions = true, usageHelpAutoWidth = true, sortOptions = false,
        version = "readout 0.1.0",
        description = "Distributed Spark jobs that train teacher and student networks and make them rely less on spurious features.",
        subcommands = {FetchCommand.class, GenerateCommand.class, PrepareCommand.class, FeaturizeCommand.class,
            TrainCommand.class, TeacherProbsCommand.class,
            WeightsCommand.class, PredictCommand.class, EvaluateCommand.class, SweepCommand.class, PipelineCommand.class, DemoCommand.class,
            AggregateCommand.class, ReportCommand.class, RetrainCommand.class, BenchCommand.class, CommandLine.HelpCommand.class},
        commandListHeading = "%nCommands:%n",
        footer = {"", "Exit codes: 0 success; 2 bad arguments or bad input; 3 locked by another run (a retrain registry, a pipeline root); 1 anything else.",
            "Run 'readout COMMAND --help' for a command's options."})
public final class ReadoutCli implements Callable<Integer>, CommandContext {
    // Inherited: accepted before or after the subcommand (readout --master local[2] train ... or readout train --master ...).
    @Option(names = "--master", paramLabel = "URL", scope = ScopeType.INHERIT,
            description = "Spark master (default: what spark-submit or -Dspark.master says, else local[*]).")
    String master;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", scope = ScopeType.INHERIT, description = "A Spark setting; repeatable.")
    Map<String, String> conf = new LinkedHashMap<>();

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT, description = "Log readout's progress and resolved configs (INFO) on stderr.")
    void verbose(boolean on) {
        if (on) {
            Configurator.setLevel(Map.of(
                    "io.readout", Level.INFO,
                    "org.apache.spark.executor.Executor", Level.WARN,
                    "org.apache.spark.scheduler.TaskSetManager", Level.WARN,
                    "org.apache.spark.storage.BlockManager", Level.WARN));
        }
    }

    private PrintStream out = System.out;
    private PrintStream err = System.err;
    private SparkSession session;

    @Override
    public SparkSession spark(String command) {
        return spark(command, (String) null);
    }

    @Override
    public SparkSession spark(String command, String defaultMaster) {
        if (session == null) {
            session = SparkSessions.getOrCreate("readout " + command, master != null ? master : defaultMaster, conf);
        }
        return session;
    }

    @Override
    public SparkSession spark(String command, Map<String, String> defaults) {
        if (session == null) {
            session = SparkSessions.getOrCreate("readout " + command, master, defaults, conf);
        }
        return session;
    }

    @Override
    public PrintStream out() {
        return out;
    }

    @Override
    public PrintStream err() {
        return err;
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(out);
        return ExitCodes.BAD_INPUT;
    }

    /** Runs the command line with the given streams and returns the exit code. */
    public static int execute(String[] args, PrintStream out, PrintStream err) {
        ReadoutCli cli = new ReadoutCli();
        cli.out = out;
        cli.err = err;
        CommandLine cmd = new CommandLine(cli);
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        cmd.setParameterExceptionHandler((ex, a) -> {
            String name = ex.getCommandLine().getCommandSpec().qualifiedName();
            err.println(name + ": " + CommandErrors.parameterMessage(name, ex));
            return ExitCodes.BAD_INPUT;
        });
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) ->
                CommandErrors.report(commandLine.getCommandSpec().qualifiedName(), ex, err));
        return cmd.execute(args);
    }

    /** Parses {@code args} as readout's command line without running anything; throws picocli's exception. */
    public static void parseOnly(String[] args) {
        new CommandLine(new ReadoutCli()).parseArgs(args);
    }

    public static void main(String[] args) {
        boolean hadSession = SparkSession.getActiveSession().isDefined();
        int code = execute(args, System.out, System.err);
        if (!hadSession) {
            SparkSession.getActiveSession().foreach(s -> {
                s.stop();
                return null;
            });
        }
        System.exit(code);
    }
}
