package io.readout.jobs.cli;

import io.readout.common.nets.Architecture;
import io.readout.jobs.train.AveragingConfig;
import io.readout.jobs.train.TrainingBenchConfig;
import io.readout.jobs.train.TrainingBenchmark;
import io.readout.jobs.train.TrainingMasters;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code readout bench training}: parses the flags, then runs {@link TrainingBenchmark}. */
@Command(name = "training", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = "Examples/s of single-process fit vs Spark parameter averaging, same model and data, side by side.",
        footer = {"", "Runs on local[WORKERS] unless --master is given. Example:",
            "  readout bench training --data /tmp/dom --arch student --averaging-frequency 5 --repeats 2"})
public final class TrainingBenchCommand implements Callable<Integer> {
    @ParentCommand
    private BenchCommand parent;

    @Option(names = "--data", paramLabel = "DIR",
            description = "A prepared dataset (default: a generated synthetic one in a temp folder).")
    String data;

    @Option(names = "--arch", paramLabel = "ARCH", defaultValue = "student",
            description = "teacher or student (default: ${DEFAULT-VALUE}).")
    String arch;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "1", description = "Epochs per run (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "64",
            description = "Minibatch size, per worker for Spark (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "2",
            description = "Spark workers, and local[N] when no --master (default: ${DEFAULT-VALUE}).")
    int workers;

    @picocli.CommandLine.Mixin
    AveragingOptions averaging = new AveragingOptions();

    @Option(names = "--threads-per-worker", paramLabel = "N",
            defaultValue = "" + TrainingMasters.DEFAULT_THREADS_PER_WORKER,
            description = "ND4J threads of each Spark task (default: ${DEFAULT-VALUE}).")
    int threadsPerWorker;

    @Option(names = "--single-threads", paramLabel = "N,N", split = ",", defaultValue = "1,2",
            description = "ND4J thread counts of the single-process runs (default: ${DEFAULT-VALUE}).")
    List<Integer> singleThreads;

    @Option(names = "--storage", paramLabel = "S", defaultValue = "memory",
            description = "direct mode: keep minibatches as objects (memory) or serialized (default: ${DEFAULT-VALUE}).")
    String storage;

    @Option(names = "--max-examples", paramLabel = "N", defaultValue = "0",
            description = "Use at most N training examples, 0 for all (default: ${DEFAULT-VALUE}).")
    int maxExamples;

    @Option(names = "--repeats", paramLabel = "N", defaultValue = "2",
            description = "Runs of each mode, alternating; the median is reported (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seed of network, data and shuffles (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the figures as JSON to this local file.")
    String out;

    TrainingBenchConfig config() {
        AveragingConfig averagingConfig = new AveragingConfig(workers, batch, this.averaging.averagingFrequency,
                this.averaging.approach, this.averaging.prefetch, threadsPerWorker, seed, null);
        return new TrainingBenchConfig(data, Architecture.parse(arch), epochs, averagingConfig, singleThreads,
                threadsPerWorker, maxExamples, repeats, storage, out, seed).validate();
    }

    @Override
    public Integer call() {
        TrainingBenchConfig config = config();
        TrainingBenchmark.Result result = TrainingBenchmark.run(
                parent.parent.spark("bench training", "local[" + workers + "]"), config);
        parent.parent.out().print(result.format());
        if (out != null) {
            parent.parent.out().println("wrote " + out);
        }
        return 0;
    }
}
