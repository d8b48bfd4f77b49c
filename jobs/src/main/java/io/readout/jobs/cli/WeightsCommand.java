package io.readout.jobs.cli;

import io.readout.jobs.passes.ReadoutWeightsPass;
import io.readout.jobs.passes.WeightsConfig;
import io.readout.jobs.passes.WeightsJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code readout weights}: parses and validates the flags, runs {@link WeightsJob} and prints the summary. */
@Command(name = "weights", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"DEDIER's early-readout weights over the training split.",
            "Writes W/weights/ (Parquet: id, label, group, aux_pred, aux_margin, aux_confidence, wrong,",
            "raw_weight, weight, epoch), W/summary.json and W/_SUCCESS."},
        footer = {"", "Example:",
            "  readout weights --student /tmp/runs/dedier --data /tmp/dom --out /tmp/runs/dedier-weights"})
public final class WeightsCommand implements Callable<Integer> {
    @ParentCommand
    private CommandContext context;

    @Option(names = "--student", required = true, paramLabel = "RUN",
            description = "A student's run folder (its model must have an early readout: --method dedier).")
    String student;
    @picocli.CommandLine.Mixin
    TablePassOptions table = new TablePassOptions();
    @picocli.CommandLine.ArgGroup(exclusive = false)
    ReadoutWeightFlags weighting = new ReadoutWeightFlags();

    @Override
    public Integer call() {
        WeightsConfig config = new WeightsConfig(student, table.data, table.out, weighting.alpha, weighting.beta,
                weighting.normalise, table.model, table.batch, table.overwrite).validate();
        ReadoutWeightsPass.Result r = WeightsJob.run(context.spark("weights"), config);
        context.out().print(format(r.summary()));
        context.out().println(String.format(Locale.ROOT, "wrote %s in %.1f s", r.out(), r.seconds()));
        return 0;
    }

    /** Per group: n, flagged fraction, mean weight, mean readout confidence on errors; then the totals. */
    static String format(Map<String, Object> summary) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-8s %8s %9s %12s %17s%n", "group", "n",
                "flagged", "mean weight", "error confidence"));
        for (Object o : (List<?>) summary.get("groups")) {
            Map<?, ?> g = (Map<?, ?>) o;
            b.append(line(String.valueOf(g.get("group")), g.get("n"), g.get("flagged_fraction"), g.get("mean_weight"),
                    g.get("mean_error_confidence")));
        }
        b.append(line("all", summary.get("examples"), summary.get("flagged_fraction"), summary.get("mean_weight"),
                summary.get("mean_error_confidence")));
        return b.toString();
    }

    private static String line(String group, Object n, Object flagged, Object weight, Object confidence) {
        return String.format(Locale.ROOT, "%-8s %8s %9s %12s %17s%n", group, n, figure(flagged), figure(weight),
                figure(confidence));
    }

    private static String figure(Object v) {
        return v instanceof Number x ? String.format(Locale.ROOT, "%.4f", x.doubleValue()) : "-";
    }
}
