package io.readout.jobs.cli;

import io.readout.jobs.evaluate.EvaluateConfig;
import io.readout.jobs.evaluate.EvaluateJob;
import io.readout.jobs.evaluate.Predictions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** {@code readout evaluate}: parses and validates the flags, then runs {@link EvaluateJob} and prints its table. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = "Worst-group, group-mean, average and bias-conflicting accuracy of a run's model; "
                + "writes RUN/metrics/<split>.json and RUN/metrics/<split>_groups.parquet.",
        footer = {"", "Example:",
            "  readout evaluate --run /tmp/runs/erm --data /tmp/dom --split test"})
public final class EvaluateCommand implements Callable<Integer> {
    @ParentCommand
    private io.readout.jobs.ReadoutCli parent;

    @Option(names = "--run", required = true, paramLabel = "RUN", description = "Run folder holding model.zip (and best.zip).")
    String run;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Prepared dataset folder (readout prepare --out).")
    String data;

    @Option(names = "--split", required = true, paramLabel = "SPLIT", description = "val, test or all (both).")
    String split;

    @Option(names = "--model", paramLabel = "WHICH", defaultValue = "final",
            description = "final (model.zip) or best (best.zip, the validation-selected epoch) (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "" + Predictions.DEFAULT_BATCH,
            description = "Examples per forward pass on an executor (default: ${DEFAULT-VALUE}).")
    int batch;

    @Override
    public Integer call() {
        EvaluateConfig config = new EvaluateConfig(run, data, split, model, batch).validate();
        EvaluateJob.Result result = EvaluateJob.run(parent.spark("evaluate"), config);
        parent.out().print(EvaluateJob.format(result.metrics()));
        for (String path : result.written()) {
            parent.out().println("wrote " + path);
        }
        return 0;
    }
}
