package io.readout.jobs.cli.bench;

import io.readout.jobs.bench.CompareBenchConfig;
import io.readout.jobs.bench.CompareBenchmark;
import io.readout.jobs.bench.PytorchBaseline;
import io.readout.jobs.bench.ThroughputBenchConfig;
import io.readout.jobs.cli.AveragingOptions;
import io.readout.jobs.cli.CommandContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code readout bench compare}: parses the flags, finds the PyTorch side, then runs {@link CompareBenchmark}. */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"DL4J against PyTorch in one run, and both against the core's peak.",
            "Per architecture, rounds of: DL4J single process on 1 thread, PyTorch on 1",
            "thread, Spark (W workers), PyTorch on W threads; each on the same examples.",
            "Medians, DL4J / PyTorch (target >= " + CompareBenchmark.TARGET_RATIO + "), GFLOP/s and the fraction of peak."},
        footer = {"", "Runs on local[WORKERS] unless --master is given, from the repository root",
            "(the script: " + PytorchBaseline.DEFAULT_SCRIPT + "). With no Python with torch it",
            "says so in one line and measures DL4J alone; with --python or --script given,",
            "that is exit code 2. Example:",
            "  readout bench compare --data /tmp/dom --repeats 3 \\",
            "      --out docs/bench/results/compare-dominoes.json"})
public final class CompareBenchCommand implements Callable<Integer> {
    @ParentCommand
    private CommandContext context;

    @Mixin
    BenchOptions bench = new BenchOptions();

    @Option(names = "--repeats", paramLabel = "N", defaultValue = "3",
            description = "Timed rounds of the four modes, after the untimed ones; medians are reported "
                    + "(default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--warmup-rounds", paramLabel = "N", defaultValue = "8",
            description = "At most N untimed rounds first: one of every mode, then of the DL4J modes until one in "
                    + "which the JIT compiled for at most 5% of the round (default: ${DEFAULT-VALUE}).")
    int warmupRounds;

    @Option(names = "--archs", paramLabel = "A,A", split = ",", defaultValue = "teacher,student",
            description = "Architectures to measure, one after the other (default: ${DEFAULT-VALUE}).")
    List<String> archs;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "2",
            description = "Spark workers, and local[N] when no --master; PyTorch's second thread count is N times "
                    + "spark.task.cpus (default: ${DEFAULT-VALUE}).")
    int workers;

    @Mixin
    AveragingOptions averaging = new AveragingOptions();

    @Option(names = "--python", paramLabel = "PATH",
            description = "The Python with torch (default: the first of /usr/bin/python3, python3 that has it).")
    String python;

    @Option(names = "--script", paramLabel = "FILE",
            description = "The PyTorch script (default: " + PytorchBaseline.DEFAULT_SCRIPT + ", from the repository root).")
    String script;

    @Option(names = "--flop-per-cycle", paramLabel = "N",
            description = "FP32 FLOP per cycle of one core (default: from its ISA: AVX2 32, AVX-512 64, "
                    + "AMD AVX-512 32).")
    Integer flopPerCycle;

    @Option(names = "--clock-mhz", paramLabel = "MHZ",
            description = "The core clock (default: lscpu's CPU max MHz, else /proc/cpuinfo's cpu MHz).")
    Double clockMhz;

    CompareBenchConfig config() {
        return new CompareBenchConfig(bench.data, ThroughputBenchConfig.parseArchs(archs), bench.epochs, bench.batch,
                workers, averaging.averagingFrequency, averaging.approach, averaging.prefetch, bench.maxExamples,
                repeats, warmupRounds, python, script, flopPerCycle, clockMhz, bench.out, bench.seed).validate();
    }

    @Override
    public Integer call() {
        CompareBenchConfig config = config();
        PytorchBaseline.Found pytorch = PytorchBaseline.find(config.pythons(), config.scriptPath(),
                config.pytorchRequired(), config.pytorchFlag());
        pytorch.absent().ifPresent(why -> context.err().println("readout bench compare: " + why
                + "; measuring the DL4J side alone"));
        CompareBenchmark.Result result = CompareBenchmark.run(context.spark("bench compare", "local[" + workers + "]"),
                config, pytorch.baseline(), pytorch.absent().orElse(null));
        bench.print(context.out(), result.format());
        return 0;
    }
}
