package io.readout.jobs.cli.bench;

import io.readout.jobs.bench.EvalScaleBenchConfig;
import io.readout.jobs.bench.EvalScaleBenchmark;
import io.readout.jobs.cli.CommandContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code readout bench eval-scale}: parses the flags, then runs {@link EvalScaleBenchmark}. */
@Command(name = "eval-scale", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = "Seconds and rows/s of the Spark SQL evaluation (readout evaluate's GroupEvaluation) over "
                + "generated prediction tables of growing size, read from Parquet; checks the figures against the "
                + "generator and reports how time grows with rows (exponent 1 = linear).",
        footer = {"", "Exit code 1 when the evaluated figures differ from the generator's. Example:",
            "  readout bench eval-scale --sizes 1e5,1e6,1e7 \\",
            "      --out docs/bench/results/eval-scale.json"})
public final class EvalScaleBenchCommand implements Callable<Integer> {
    @ParentCommand
    private CommandContext context;

    @Option(names = "--sizes", paramLabel = "N,N", split = ",", defaultValue = EvalScaleBenchConfig.DEFAULT_SIZES,
            description = "Prediction rows of each table, increasing; 1e6 style allowed (default: ${DEFAULT-VALUE}).")
    List<String> sizes;

    @Option(names = "--groups", paramLabel = "G", defaultValue = "4",
            description = "Groups of the generated rows (label = group / 2, attribute = group %% 2) "
                    + "(default: ${DEFAULT-VALUE}).")
    int groups;

    @Option(names = "--repeats", paramLabel = "N", defaultValue = "3",
            description = "Timed evaluations of each size, sizes interleaved; the median is reported "
                    + "(default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--scratch", paramLabel = "DIR",
            description = "Where the generated Parquet tables go (any Hadoop URI; deleted afterwards) "
                    + "(default: a local temp folder).")
    String scratch;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seed of the generated rows (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the figures as JSON to this local file.")
    String out;

    EvalScaleBenchConfig config() {
        return new EvalScaleBenchConfig(EvalScaleBenchConfig.parseSizes(sizes), groups, repeats, scratch, out, seed)
                .validate();
    }

    @Override
    public Integer call() {
        EvalScaleBenchConfig config = config();
        EvalScaleBenchmark.Result result = EvalScaleBenchmark.run(context.spark("bench eval-scale"), config);
        context.out().print(result.format());
        if (out != null) {
            context.out().println("wrote " + out);
        }
        return result.checked() ? 0 : 1;
    }
}
