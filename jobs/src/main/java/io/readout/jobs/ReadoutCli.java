package io.readout.jobs;

import io.readout.common.BadInputException;
import io.readout.jobs.cli.AggregateCommand;
import io.readout.jobs.cli.BenchCommand;
import io.readout.jobs.cli.DemoCommand;
import io.readout.jobs.cli.PipelineCommand;
import io.readout.jobs.cli.RetrainCommand;
import io.readout.jobs.cli.EvaluateCommand;
import io.readout.jobs.cli.FetchCommand;
import io.readout.jobs.cli.PredictCommand;
import io.readout.jobs.cli.PrepareCommand;
import io.readout.jobs.cli.ReportCommand;
import io.readout.jobs.cli.SweepCommand;
import io.readout.jobs.cli.TeacherProbsCommand;
import io.readout.jobs.cli.TrainCommand;
import io.readout.jobs.cli.WeightsCommand;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The {@code readout} command line. It parses and validates, then calls the job; every user
 * error ends as one line on stderr and exit code 2, any other failure as exit code 1.
 * {@link #execute} is the entry point tests call; only {@link #main} exits the JVM.
 */
@Command(name = "readout", mixinStandardHelpOptions = true, usageHelpAutoWidth = true, sortOptions = false,
        version = "readout 0.1.0",
        description = "Distributed Spark jobs that train teacher and student networks and make them rely less on spurious features.",
        subcommands = {FetchCommand.class, PrepareCommand.class, TrainCommand.class, TeacherProbsCommand.class,
            WeightsCommand.class, PredictCommand.class, EvaluateCommand.class, SweepCommand.class, PipelineCommand.class, DemoCommand.class,
            AggregateCommand.class, ReportCommand.class, RetrainCommand.class, BenchCommand.class, CommandLine.HelpCommand.class},
        commandListHeading = "%nCommands:%n",
        footer = {"", "Exit codes: 0 success; 2 bad arguments or bad input; 3 locked by another run (a retrain registry, a pipeline root); 1 anything else.",
            "Run 'readout COMMAND --help' for a command's options."})
public final class ReadoutCli implements Callable<Integer> {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int BAD_INPUT = 2;
    /** The model registry was locked by another run for longer than --lock-timeout: try again later. */
    public static final int LOCKED = io.readout.jobs.registry.RegistryLockedException.EXIT_CODE;
    private static final Logger LOG = LoggerFactory.getLogger(ReadoutCli.class);

    // Inherited: accepted before or after the subcommand (readout --master local[2] train ... or readout train --master ...).
    @Option(names = "--master", paramLabel = "URL", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Spark master (default: what spark-submit or -Dspark.master says, else local[*]).")
    String master;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", scope = picocli.CommandLine.ScopeType.INHERIT, description = "A Spark setting; repeatable.")
    Map<String, String> conf = new LinkedHashMap<>();

    @Option(names = {"-v", "--verbose"}, scope = picocli.CommandLine.ScopeType.INHERIT, description = "Log readout's progress and resolved configs (INFO) on stderr.")
    void verbose(boolean on) {
        if (on) {
            org.apache.logging.log4j.core.config.Configurator.setLevel(Map.of(
                    "io.readout", org.apache.logging.log4j.Level.INFO,
                    "org.apache.spark.executor.Executor", org.apache.logging.log4j.Level.WARN,
                    "org.apache.spark.scheduler.TaskSetManager", org.apache.logging.log4j.Level.WARN,
                    "org.apache.spark.storage.BlockManager", org.apache.logging.log4j.Level.WARN));
        }
    }

    private PrintStream out = System.out;
    private PrintStream err = System.err;
    private SparkSession session;

    /** The session for a command: the active one if there is one, else a new one. */
    public SparkSession spark(String command) {
        return spark(command, (String) null);
    }

    /**
     * The session for a command that has its own default master (a local benchmark): {@code --master}
     * wins, then {@code defaultMaster}, then what spark-submit or the system properties say.
     */
    public SparkSession spark(String command, String defaultMaster) {
        if (session == null) {
            session = SparkSessions.getOrCreate("readout " + command, master != null ? master : defaultMaster, conf);
        }
        return session;
    }

    /**
     * The session for a command that needs settings of its own unless {@code --conf} or spark-submit
     * gives them (the sweep's FAIR scheduler); an active session is used as it is.
     */
    public SparkSession spark(String command, Map<String, String> defaults) {
        if (session == null) {
            session = SparkSessions.getOrCreate("readout " + command, master, defaults, conf);
        }
        return session;
    }

    public PrintStream out() {
        return out;
    }

    /** Where one-line errors go (a nested command's too). */
    public PrintStream err() {
        return err;
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(out);
        return BAD_INPUT;
    }

    /** Runs the command line with the given streams and returns the exit code. */
    public static int execute(String[] args, PrintStream out, PrintStream err) {
        return run(new ReadoutCli(), args, out, err);
    }

    /**
     * Runs another readout command in this process, on this command's Spark session (the pipeline's
     * stages): the same parsing, messages and exit codes as on the command line.
     */
    public int nested(String[] args, PrintStream out, PrintStream err) {
        ReadoutCli cli = new ReadoutCli();
        cli.session = session;
        return run(cli, args, out, err);
    }

    /** Parses {@code args} as readout's command line without running anything; throws picocli's exception. */
    public static void parseOnly(String[] args) {
        new CommandLine(new ReadoutCli()).parseArgs(args);
    }

    private static int run(ReadoutCli cli, String[] args, PrintStream out, PrintStream err) {
        cli.out = out;
        cli.err = err;
        CommandLine cmd = new CommandLine(cli);
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        cmd.setParameterExceptionHandler((ex, a) -> {
            String name = ex.getCommandLine().getCommandSpec().qualifiedName();
            err.println(name + ": " + ex.getMessage().replace('\n', ' ')
                    + " (see '" + name + " --help')");
            return BAD_INPUT;
        });
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            String name = commandLine.getCommandSpec().qualifiedName();
            BadInputException bad = BadInputException.findIn(ex);
            if (bad == null) {
                bad = io.readout.jobs.io.UnreadableInput.find(ex);
            }
            if (bad != null) {
                err.println(name + ": " + bad.getMessage().replace('\n', ' '));
                return BAD_INPUT;
            }
            if (ex instanceof io.readout.jobs.train.TrainingDivergedException) {
                err.println(name + ": " + ex.getMessage());
                return FAILURE;
            }
            if (ex instanceof io.readout.jobs.registry.RegistryLockedException) {
                err.println(name + ": " + ex.getMessage());
                return LOCKED;
            }
            LOG.error("{} failed", name, ex);
            err.println(name + ": failed: " + ex);
            return FAILURE;
        });
        return cmd.execute(args);
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
