package io.readout.jobs.cli;

import io.readout.jobs.passes.ReadoutWeightsPass;
import io.readout.jobs.passes.WeightsConfig;
import io.readout.jobs.passes.WeightsJob;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** {@code readout weights}: parses and validates the flags, runs {@link WeightsJob} and prints the summary. */
@Command(name = "weights", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"DEDIER's early-readout weights over the training split.",
            "Writes W/weights/ (Parquet: id, label, group, aux_pred, aux_margin, aux_confidence, wrong,",
            "raw_weight, weight, epoch), W/summary.json and W/_SUCCESS."},
        footer = {"", "Example:",
            "  readout weights --student /tmp/runs/dedier --data /tmp/dom \\",
            "      --out /tmp/runs/dedier-weights"})
public final class WeightsCommand implements Callable<Integer> {
    @ParentCommand
    private CommandContext context;

    @Option(names = "--student", required = true, paramLabel = "RUN",
            description = "A student's run folder (its model must have an early readout: --method dedier).")
    String student;
    @Mixin
    TablePassOptions table = new TablePassOptions();
    @ArgGroup(exclusive = false)
    ReadoutWeightFlags weighting = new ReadoutWeightFlags();

    @Override
    public Integer call() {
        WeightsConfig config = new WeightsConfig(student, table.data, table.out, weighting.alpha, weighting.beta,
                weighting.normalise, table.model, table.batch, table.overwrite).validate();
        ReadoutWeightsPass.Result r = WeightsJob.run(context.spark("weights"), config);
        context.out().print(r.format());
        return 0;
    }
}
