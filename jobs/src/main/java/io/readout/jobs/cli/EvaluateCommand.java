package io.readout.jobs.cli;

import io.readout.jobs.evaluate.EvaluateConfig;
import io.readout.jobs.evaluate.EvaluateJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** {@code readout evaluate}: parses and validates the flags, then runs {@link EvaluateJob} and prints its table. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Worst-group and per-group accuracy of a run (Spark SQL).",
            "Writes RUN/metrics/<split>.json and RUN/metrics/<split>_groups.parquet."},
        footer = {"", "Example:",
            "  readout evaluate --run /tmp/runs/erm --data /tmp/dom --split test"})
public final class EvaluateCommand implements Callable<Integer> {
    @ParentCommand
    private CommandContext context;

    @Mixin
    ModelPassOptions pass = new ModelPassOptions();

    @Option(names = "--split", required = true, paramLabel = "SPLIT", description = "val, test or all (both).")
    String split;

    EvaluateConfig config() {
        return new EvaluateConfig(pass.run, pass.data, split, pass.model, pass.batch).validate();
    }

    @Override
    public Integer call() {
        EvaluateConfig config = config();
        context.out().print(EvaluateJob.run(context.spark("evaluate"), config).format());
        return 0;
    }
}
