package io.readout.jobs.cli;

import io.readout.jobs.ReadoutCli;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** {@code readout bench}: measurements that choose defaults; each kind is a subcommand. */
@Command(name = "bench", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = "Measure throughput on this machine (docs/BENCHMARKS.md).",
        subcommands = {TrainingBenchCommand.class, ThroughputBenchCommand.class, EvalScaleBenchCommand.class,
            TablesBenchCommand.class},
        commandListHeading = "%nBenchmarks:%n")
public final class BenchCommand implements Callable<Integer> {
    @ParentCommand
    ReadoutCli parent;

    @Override
    public Integer call() {
        new CommandLine(this).usage(parent.out());
        return ReadoutCli.BAD_INPUT;
    }
}
