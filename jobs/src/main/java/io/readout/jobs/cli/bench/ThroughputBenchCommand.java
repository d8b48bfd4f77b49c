package io.readout.jobs.cli.bench;

import io.readout.jobs.bench.ThroughputBenchConfig;
import io.readout.jobs.bench.ThroughputBenchmark;
import io.readout.jobs.cli.AveragingOptions;
import io.readout.jobs.cli.CommandContext;
import io.readout.jobs.passes.Predictions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code readout bench throughput}: parses the flags, then runs {@link ThroughputBenchmark}. */
@Command(name = "throughput", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Training examples/s (single process vs Spark) and the passes, per architecture.",
            "Each pass (predict, teacher probs, weights) runs as a Spark job over the rows;",
            "it is set against one Spark epoch (target: at most " + ThroughputBenchmark.TARGET_FRACTION + ")."},
        footer = {"", "Runs on readout's --master (default: spark.master, else local[*]). Example:",
            "  readout --master 'local[2]' bench throughput --data /tmp/dom \\",
            "      --max-examples 3000 --repeats 2 --out docs/bench/throughput.json"})
public final class ThroughputBenchCommand implements Callable<Integer> {
    @ParentCommand
    private CommandContext context;

    @Mixin
    BenchOptions bench = new BenchOptions();

    @Option(names = "--repeats", paramLabel = "N", defaultValue = "2",
            description = "Timed runs of each mode, alternating; the median is reported (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--archs", paramLabel = "A,A", split = ",", defaultValue = "teacher,student",
            description = "Architectures to measure (default: ${DEFAULT-VALUE}).")
    List<String> archs;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "0",
            description = "Parameter-averaging workers; 0 = Spark's default parallelism (default: ${DEFAULT-VALUE}).")
    int workers;

    @Mixin
    AveragingOptions averaging = new AveragingOptions();

    @Option(names = "--single-threads", paramLabel = "N,N", split = ",", defaultValue = "1",
            description = "ND4J thread counts of the single-process runs (default: ${DEFAULT-VALUE}).")
    List<Integer> singleThreads;

    @Option(names = "--pass-batch", paramLabel = "N", defaultValue = "" + Predictions.DEFAULT_BATCH,
            description = "Examples per forward pass of the separate passes, each timed --repeats times "
                    + "(default: ${DEFAULT-VALUE}).")
    int passBatch;

    ThroughputBenchConfig config() {
        return new ThroughputBenchConfig(bench.data, ThroughputBenchConfig.parseArchs(archs), bench.epochs,
                bench.batch, workers, averaging.averagingFrequency, averaging.approach, averaging.prefetch,
                singleThreads, passBatch, bench.maxExamples, repeats, bench.out, bench.seed).validate();
    }

    @Override
    public Integer call() {
        ThroughputBenchConfig config = config();
        ThroughputBenchmark.Result result = ThroughputBenchmark.run(context.spark("bench throughput"), config);
        bench.print(context.out(), result.format());
        return 0;
    }
}
