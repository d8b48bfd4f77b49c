package io.readout.jobs.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.readout.common.BadInputException;
import io.readout.common.nets.Architecture;
import io.readout.jobs.spark.TaskThreads;
import io.readout.jobs.train.AveragingConfig;
import io.readout.jobs.train.BatchScope;

import java.util.ArrayList;
import java.util.List;

/**
 * Configuration of {@link ThroughputBenchmark}.
 *
 * @param data               a prepared dataset folder, or null for a generated {@code synthetic} one in a temp folder
 * @param archs              the architectures measured, in order
 * @param epochs             epochs of each timed training run
 * @param batch              minibatch size of training (per worker for Spark)
 * @param workers            parameter-averaging workers (0: Spark's default parallelism)
 * @param averagingFrequency minibatches per worker between averaging rounds
 * @param approach           how dl4j-spark hands data to workers: {@code export} or {@code direct}
 * @param prefetch           minibatches each worker prefetches
 * @param singleThreads      ND4J thread counts of the single-process runs
 * @param passBatch          examples per forward pass of the separate passes
 * @param maxExamples        use at most this many training examples (0: all)
 * @param repeats            timed runs of each training mode and each pass; the median is reported
 * @param out                a local file for the JSON, or null
 */
public record ThroughputBenchConfig(String data, List<Architecture> archs, int epochs, int batch, int workers,
                                    int averagingFrequency, String approach, int prefetch, List<Integer> singleThreads,
                                    int passBatch, int maxExamples, int repeats, String out, long seed) {

    /** Cross-field rules, in one place; throws {@link BadInputException} naming the flag. */
    public ThroughputBenchConfig validate() {
        validateArchs(archs);
        TrainingComparison.validate(epochs, repeats, singleThreads);
        validateMaxExamples(maxExamples);
        if (workers < 0) {
            throw new BadInputException("--workers " + workers + " must be 0 (Spark's parallelism) or more");
        }
        if (passBatch < 1) {
            throw new BadInputException("--pass-batch " + passBatch + " must be at least 1");
        }
        averaging(Math.max(workers, 1), TaskThreads.DEFAULT_PER_TASK); // checks the averaging flags
        return this;
    }

    /** {@code --archs}: at least one architecture, none twice. */
    static void validateArchs(List<Architecture> archs) {
        if (archs.isEmpty()) {
            throw new BadInputException("--archs must name at least one of teacher, student");
        }
        if (archs.stream().distinct().count() < archs.size()) {
            throw new BadInputException("--archs " + archs.stream().map(Architecture::id).toList()
                    + " names an architecture twice");
        }
    }

    static void validateMaxExamples(int maxExamples) {
        if (maxExamples < 0) {
            throw new BadInputException("--max-examples " + maxExamples + " must be zero (all) or positive");
        }
    }

    /** {@code --archs}: teacher and/or student, comma-separated. */
    public static List<Architecture> parseArchs(List<String> ids) {
        List<Architecture> archs = new ArrayList<>();
        for (String id : ids) {
            try {
                archs.add(Architecture.parse(id));
            } catch (BadInputException e) {
                throw new BadInputException("--archs '" + id + "' is not one of teacher, student");
            }
        }
        return archs;
    }

    /**
     * How the Spark runs average, once the session says how many workers and threads per task: as {@code readout
     * train} does by default, the batch shared by the workers ({@link BatchScope#GLOBAL}), each fitting batch / W.
     */
    public AveragingConfig averaging(int resolvedWorkers, int threadsPerTask) {
        return globalBatch(batch, resolvedWorkers, averagingFrequency, approach, prefetch, threadsPerTask, seed);
    }

    /** Parameter averaging as {@code readout train} does by default: {@code batch} shared by the workers. */
    static AveragingConfig globalBatch(int batch, int workers, int averagingFrequency, String approach, int prefetch,
                                       int threadsPerTask, long seed) {
        return new AveragingConfig(workers, BatchScope.GLOBAL.workerBatch(batch, workers), averagingFrequency,
                approach, prefetch, threadsPerTask, seed, null, BatchScope.GLOBAL.adaptiveLrScale(batch, workers));
    }

    /** The config as a results file records it ({@code config}). */
    @JsonPropertyOrder({"data", "archs", "epochs", "batch", "workers", "averaging_frequency", "approach", "prefetch",
            "single_threads", "pass_batch", "max_examples", "repeats", "seed"})
    public record Described(String data, List<String> archs, int epochs, int batch, int workers,
                            @JsonProperty("averaging_frequency") int averagingFrequency, String approach, int prefetch,
                            @JsonProperty("single_threads") List<Integer> singleThreads,
                            @JsonProperty("pass_batch") int passBatch, @JsonProperty("max_examples") int maxExamples,
                            int repeats, long seed) {
    }

    public Described describe() {
        return new Described(data == null ? "synthetic (generated)" : data, archs.stream().map(Architecture::id).toList(),
                epochs, batch, workers, averagingFrequency, approach, prefetch, singleThreads, passBatch, maxExamples,
                repeats, seed);
    }
}
