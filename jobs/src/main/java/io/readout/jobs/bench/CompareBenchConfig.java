package io.readout.jobs.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.readout.common.BadInputException;
import io.readout.common.nets.Architecture;
import io.readout.jobs.spark.TaskThreads;
import io.readout.jobs.train.AveragingConfig;

import java.nio.file.Path;
import java.util.List;

/**
 * Configuration of {@link CompareBenchmark}.
 *
 * @param data               a prepared image dataset folder, or null for a generated {@code synthetic} one
 * @param archs              the architectures measured, in order
 * @param epochs             epochs of each timed DL4J run; PyTorch trains on as many examples
 * @param batch              the minibatch: of the single process and of PyTorch; Spark's workers share it
 * @param workers            Spark parameter-averaging workers; PyTorch's second thread count is workers × task CPUs
 * @param averagingFrequency minibatches per worker between averaging rounds
 * @param approach           how dl4j-spark hands data to workers: {@code export} or {@code direct}
 * @param prefetch           minibatches each worker prefetches
 * @param maxExamples        use at most this many training examples (0: all)
 * @param repeats            timed rounds of the four modes; medians are reported
 * @param warmupRounds       the most untimed rounds before them: the first runs every mode, later ones the DL4J
 *                           modes only, until one in which the JIT is quiet ({@link SideBySide.WarmUp#untilQuiet})
 * @param python             the Python to run the script with, or null to try {@link PytorchBaseline#DEFAULT_PYTHONS}
 * @param script             docs/bench/pytorch_baseline.py elsewhere, or null for {@link PytorchBaseline#DEFAULT_SCRIPT}
 * @param flopPerCycle       FP32 FLOP per cycle of one core, or null to estimate it from the ISA
 * @param clockMhz           the core clock, or null to read it
 * @param out                a local file for the JSON, or null
 */
public record CompareBenchConfig(String data, List<Architecture> archs, int epochs, int batch, int workers,
                                 int averagingFrequency, String approach, int prefetch, int maxExamples, int repeats,
                                 int warmupRounds, String python, String script, Integer flopPerCycle, Double clockMhz, String out,
                                 long seed) {

    /** Cross-field rules, in one place; throws {@link BadInputException} naming the flag. */
    public CompareBenchConfig validate() {
        ThroughputBenchConfig.validateArchs(archs);
        TrainingComparison.validate(epochs, repeats, List.of(1));
        ThroughputBenchConfig.validateMaxExamples(maxExamples);
        if (warmupRounds < 1) {
            throw new BadInputException("--warmup-rounds " + warmupRounds + " must be at least 1");
        }
        if (batch < 1) {
            throw new BadInputException("--batch " + batch + " must be at least 1");
        }
        if (workers < 1) {
            throw new BadInputException("--workers " + workers + " must be at least 1");
        }
        if (flopPerCycle != null && flopPerCycle < 1) {
            throw new BadInputException("--flop-per-cycle " + flopPerCycle + " must be at least 1");
        }
        if (clockMhz != null && !(clockMhz > 0 && Double.isFinite(clockMhz))) {
            throw new BadInputException("--clock-mhz " + clockMhz + " must be a positive number");
        }
        averaging(TaskThreads.DEFAULT_PER_TASK); // checks the averaging flags
        return this;
    }

    /** Whether the user asked for the PyTorch side explicitly: then a missing one is bad input, not a note. */
    public boolean pytorchRequired() {
        return python != null || script != null;
    }

    /** The flag a missing PyTorch side is reported against. */
    public String pytorchFlag() {
        return python != null ? "--python " + python : "--script " + script;
    }

    public List<String> pythons() {
        return python != null ? List.of(python) : PytorchBaseline.DEFAULT_PYTHONS;
    }

    public Path scriptPath() {
        return Path.of(script != null ? script : PytorchBaseline.DEFAULT_SCRIPT);
    }

    /** The warm-up before the timed rounds. */
    public SideBySide.WarmUp warmUp() {
        return SideBySide.WarmUp.untilQuiet(warmupRounds);
    }

    /** Parameter averaging as {@code bench throughput} and {@code readout train} do: the batch shared by the workers. */
    public AveragingConfig averaging(int threadsPerTask) {
        return ThroughputBenchConfig.globalBatch(batch, workers, averagingFrequency, approach, prefetch,
                threadsPerTask, seed);
    }

    /** The config as a results file records it ({@code config}). */
    @JsonPropertyOrder({"data", "archs", "epochs", "batch", "workers", "averaging_frequency", "approach", "prefetch",
            "max_examples", "repeats", "warmup_rounds", "python", "script", "flop_per_cycle", "clock_mhz", "seed"})
    public record Described(String data, List<String> archs, int epochs, int batch, int workers,
                            @JsonProperty("averaging_frequency") int averagingFrequency, String approach, int prefetch,
                            @JsonProperty("max_examples") int maxExamples, int repeats,
                            @JsonProperty("warmup_rounds") int warmupRounds, String python, String script,
                            @JsonProperty("flop_per_cycle") Integer flopPerCycle,
                            @JsonProperty("clock_mhz") Double clockMhz, long seed) {
    }

    public Described describe() {
        return new Described(data == null ? "synthetic (generated)" : data, archs.stream().map(Architecture::id).toList(),
                epochs, batch, workers, averagingFrequency, approach, prefetch, maxExamples, repeats,
                warmupRounds, python == null ? "first with torch of " + String.join(", ", PytorchBaseline.DEFAULT_PYTHONS) : python,
                scriptPath().toString(), flopPerCycle, clockMhz, seed);
    }
}
