package io.readout.jobs.cli.bench;

import io.readout.jobs.cli.CommandContext;
import io.readout.jobs.cli.ExitCodes;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code readout bench}: measurements that choose defaults; each kind is a subcommand, which gets the command
 * line's context through this group.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = "Measure throughput on this machine (docs/BENCHMARKS.md).",
        subcommands = {TrainingBenchCommand.class, ThroughputBenchCommand.class, CompareBenchCommand.class,
            EvalScaleBenchCommand.class, TablesBenchCommand.class},
        commandListHeading = "%nBenchmarks:%n")
public final class BenchCommand implements Callable<Integer>, CommandContext {
    @ParentCommand
    private CommandContext context;

    @Override
    public Integer call() {
        new CommandLine(this).usage(context.out());
        return ExitCodes.BAD_INPUT;
    }

    @Override
    public SparkSession spark(String command) {
        return context.spark(command);
    }

    @Override
    public SparkSession spark(String command, String defaultMaster) {
        return context.spark(command, defaultMaster);
    }

    @Override
    public SparkSession spark(String command, Map<String, String> defaults) {
        return context.spark(command, defaults);
    }

    @Override
    public PrintStream out() {
        return context.out();
    }

    @Override
    public PrintStream err() {
        return context.err();
    }
}
