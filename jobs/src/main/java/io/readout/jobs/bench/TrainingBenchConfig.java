package io.readout.jobs.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.readout.common.BadInputException;
import io.readout.common.nets.Architecture;
import io.readout.jobs.train.AveragingConfig;

import java.util.List;

/**
 * Configuration of {@link TrainingBenchmark}.
 *
 * @param data            a prepared dataset folder, or null for a generated {@code synthetic} one in a temp folder
 * @param singleThreads   ND4J thread counts of the single-process runs (e.g. 1 and 2)
 * @param threadsPerWorker ND4J threads of each Spark task
 * @param maxExamples     use at most this many training examples (0: all)
 * @param repeats         how many times each configuration runs; the median is reported
 * @param storage         direct mode's storage level of the minibatch RDD: {@code memory} or {@code serialized}
 */
public record TrainingBenchConfig(String data, Architecture arch, int epochs, AveragingConfig averaging,
                                  List<Integer> singleThreads, int threadsPerWorker, int maxExamples, int repeats,
                                  String storage, String out, long seed) {

    public TrainingBenchConfig validate() {
        TrainingComparison.validate(epochs, repeats, singleThreads);
        if (maxExamples < 0) {
            throw new BadInputException("--max-examples " + maxExamples + " must be zero (all) or positive");
        }
        if (threadsPerWorker < 1) {
            throw new BadInputException("--threads-per-worker " + threadsPerWorker + " must be at least 1");
        }
        if (!List.of("memory", "serialized").contains(storage)) {
            throw new BadInputException("--storage '" + storage + "' is not one of memory, serialized");
        }
        return this;
    }

    /** The config as a results file records it ({@code config}). */
    @JsonPropertyOrder({"data", "arch", "epochs", "batch", "workers", "averaging_frequency", "approach", "prefetch",
            "single_threads", "threads_per_worker", "max_examples", "repeats", "storage", "seed"})
    public record Described(String data, String arch, int epochs, int batch, int workers,
                            @JsonProperty("averaging_frequency") int averagingFrequency, String approach, int prefetch,
                            @JsonProperty("single_threads") List<Integer> singleThreads,
                            @JsonProperty("threads_per_worker") int threadsPerWorker,
                            @JsonProperty("max_examples") int maxExamples, int repeats, String storage, long seed) {
    }

    public Described describe() {
        return new Described(data == null ? "synthetic (generated)" : data, arch.id(), epochs,
                averaging.batchSizePerWorker(), averaging.workers(), averaging.averagingFrequency(), averaging.approach(),
                averaging.prefetchBatches(), singleThreads, threadsPerWorker, maxExamples, repeats, storage, seed);
    }
}
