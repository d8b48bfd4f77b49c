package io.readout.jobs.cli.bench;

import io.readout.common.nets.Architecture;
import io.readout.jobs.bench.TrainingBenchConfig;
import io.readout.jobs.bench.TrainingBenchmark;
import io.readout.jobs.cli.AveragingOptions;
import io.readout.jobs.cli.CommandContext;
import io.readout.jobs.spark.TaskThreads;
import io.readout.jobs.train.AveragingConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code readout bench training}: parses the flags, then runs {@link TrainingBenchmark}. */
@Command(name = "training", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = "Examples/s of single-process fit vs Spark parameter averaging, same model and data, side by side.",
        footer = {"", "Runs on local[WORKERS] unless --master is given. Example:",
            "  readout bench training --data /tmp/dom --arch student \\",
            "      --averaging-frequency 5 --repeats 2"})
public final class TrainingBenchCommand implements Callable<Integer> {
    @ParentCommand
    private CommandContext context;

    @Mixin
    BenchOptions bench = new BenchOptions();

    @Option(names = "--repeats", paramLabel = "N", defaultValue = "2",
            description = "Timed runs of each mode, alternating; the median is reported (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--arch", paramLabel = "ARCH", defaultValue = "student",
            description = "teacher or student (default: ${DEFAULT-VALUE}).")
    String arch;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "2",
            description = "Spark workers, and local[N] when no --master (default: ${DEFAULT-VALUE}).")
    int workers;

    @Mixin
    AveragingOptions averaging = new AveragingOptions();

    @Option(names = "--threads-per-worker", paramLabel = "N",
            defaultValue = "" + TaskThreads.DEFAULT_PER_TASK,
            description = "ND4J threads of each Spark task (default: ${DEFAULT-VALUE}).")
    int threadsPerWorker;

    @Option(names = "--single-threads", paramLabel = "N,N", split = ",", defaultValue = "1,2",
            description = "ND4J thread counts of the single-process runs (default: ${DEFAULT-VALUE}).")
    List<Integer> singleThreads;

    @Option(names = "--storage", paramLabel = "S", defaultValue = "memory",
            description = "direct mode: keep minibatches as objects (memory) or serialized (default: ${DEFAULT-VALUE}).")
    String storage;

    TrainingBenchConfig config() {
        AveragingConfig averagingConfig = new AveragingConfig(workers, bench.batch, this.averaging.averagingFrequency,
                this.averaging.approach, this.averaging.prefetch, threadsPerWorker, bench.seed, null);
        return new TrainingBenchConfig(bench.data, Architecture.parse(arch), bench.epochs, averagingConfig,
                singleThreads, threadsPerWorker, bench.maxExamples, repeats, storage, bench.out, bench.seed)
                .validate();
    }

    @Override
    public Integer call() {
        TrainingBenchConfig config = config();
        TrainingBenchmark.Result result = TrainingBenchmark.run(
                context.spark("bench training", "local[" + workers + "]"), config);
        bench.print(context.out(), result.format());
        return 0;
    }
}
