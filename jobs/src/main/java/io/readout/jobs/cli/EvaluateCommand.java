package io.readout.jobs.cli;

import io.readout.jobs.evaluate.EvaluateConfig;
import io.readout.jobs.evaluate.EvaluateJob;
import picocli.CommandLine.Command;
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
    private io.readout.jobs.ReadoutCli parent;

    @picocli.CommandLine.Mixin
    ModelPassOptions pass = new ModelPassOptions();

    @Option(names = "--split", required = true, paramLabel = "SPLIT", description = "val, test or all (both).")
    String split;

    @Override
    public Integer call() {
        EvaluateConfig config = new EvaluateConfig(pass.run, pass.data, split, pass.model, pass.batch).validate();
        EvaluateJob.Result result = EvaluateJob.run(parent.spark("evaluate"), config);
        parent.out().print(EvaluateJob.format(result.metrics()));
        for (String path : result.written()) {
            parent.out().println("wrote " + path);
        }
        return 0;
    }
}
