package io.readout.jobs.cli;

import io.readout.jobs.passes.PredictConfig;
import io.readout.jobs.passes.PredictJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** {@code readout predict}: parses and validates the flags, then runs {@link PredictJob}. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Write a run's predictions on a prepared dataset as Parquet.",
            "Columns: id, split, label, group, attribute, pred, confidence, probs."},
        footer = {"", "Example:",
            "  readout predict --run /tmp/runs/erm --data /tmp/dom --split test \\",
            "      --out /tmp/runs/erm/predictions"})
public final class PredictCommand implements Callable<Integer> {
    @ParentCommand
    private CommandContext context;

    @Mixin
    ModelPassOptions pass = new ModelPassOptions();

    @Option(names = "--split", required = true, paramLabel = "SPLIT", description = "train, val, test or all.")
    String split;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (any Hadoop file system URI).")
    String out;

    @Option(names = "--overwrite", description = "Replace an output folder that already holds complete predictions.")
    boolean overwrite;

    @Override
    public Integer call() {
        PredictConfig config = new PredictConfig(pass.run, pass.data, split, out, pass.model, pass.batch, overwrite).validate();
        context.out().print(PredictJob.run(context.spark("predict"), config).format());
        return 0;
    }
}
