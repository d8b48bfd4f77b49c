package io.readout.jobs.bench;

import io.readout.common.BadInputException;
import io.readout.common.nets.Architecture;
import io.readout.jobs.train.AveragingConfig;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data", data == null ? "synthetic (generated)" : data);
        m.put("arch", arch.id());
        m.put("epochs", epochs);
        m.put("batch", averaging.batchSizePerWorker());
        m.put("workers", averaging.workers());
        m.put("averaging_frequency", averaging.averagingFrequency());
        m.put("approach", averaging.approach());
        m.put("prefetch", averaging.prefetchBatches());
        m.put("single_threads", singleThreads);
        m.put("threads_per_worker", threadsPerWorker);
        m.put("max_examples", maxExamples);
        m.put("repeats", repeats);
        m.put("storage", storage);
        m.put("seed", seed);
        return m;
    }
}
