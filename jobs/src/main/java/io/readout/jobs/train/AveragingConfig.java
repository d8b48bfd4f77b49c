package io.readout.jobs.train;

import io.readout.common.BadInputException;
import io.readout.jobs.spark.TaskThreads;

import java.io.Serializable;
import java.util.List;

/**
 * How dl4j-spark's parameter averaging runs (built by {@link TrainingMasters#build}).
 *
 * @param workers            Spark tasks that fit at the same time (executors × task slots); the data is
 *                           repartitioned to this many partitions before each fit
 * @param batchSizePerWorker examples in one worker minibatch (also the size of each DataSet in the RDD)
 * @param averagingFrequency minibatches each worker fits between two averaging rounds
 * @param approach           {@code export} (minibatches written to files, then fitted from paths) or
 *                           {@code direct} (fitted from the cached RDD)
 * @param prefetchBatches    minibatches a worker loads asynchronously ahead of the one it fits (0: none)
 * @param threadsPerTask     native threads of each worker task (libnd4j, OpenBLAS, and the OpenMP team
 *                           oneDNN uses): the task's cores, {@code spark.task.cpus}, so the cores are not
 *                           oversubscribed
 * @param rngSeed            seed of dl4j-spark's split of each fit's data into averaging rounds
 * @param adaptiveLrScale    the factor on the workers' adaptive learning rates ({@link BatchScope#adaptiveLrScale});
 *                           the driver's network keeps its own
 * @param exportDir          export mode: the folder under which minibatches are written (any Hadoop file
 *                           system URI that every executor can read); null for dl4j-spark's default,
 *                           {@code <hadoop.tmp.dir>/dl4j/}. Each fit writes to its own sub-folder, which
 *                           {@link TrainingMasters#deleteExports} removes.
 */
public record AveragingConfig(int workers, int batchSizePerWorker, int averagingFrequency, String approach,
                              int prefetchBatches, int threadsPerTask, long rngSeed, String exportDir,
                              double adaptiveLrScale) implements Serializable {
    public static final String EXPORT = "export";
    public static final String DIRECT = "direct";
    public static final List<String> APPROACHES = List.of(EXPORT, DIRECT);

    // The defaults below were chosen by `readout bench training` on 2 cores (docs/BENCHMARKS.md): first
    // with the plain nd4j-native build (student CNN on 3,000 dominoes examples, "Spark parameter averaging
    // vs single process"), then re-checked with the oneDNN kernels on the full 10,000-example split
    // ("CPU training throughput: where it stands").

    /**
     * Minibatches per worker between averaging rounds: 10. oneDNN kernels, student, full dominoes split:
     * K=5 0.88x a single process on one thread, K=10 1.06x, K=20 1.10x (within K=10's spread); teacher
     * K=10 1.31x. Fewer local steps than 20 keep parameter averaging closer to sequential training.
     */
    public static final int DEFAULT_AVERAGING_FREQUENCY = 10;
    /**
     * Direct: 1,089 examples/s against 951 for export, which writes and re-reads every minibatch at
     * each fit (teacher: 321 against 310).
     */
    public static final String DEFAULT_APPROACH = DIRECT;
    /** None: prefetching 2 minibatches gave 1,075 examples/s against 1,089, and costs a thread per worker. */
    public static final int DEFAULT_PREFETCH_BATCHES = 0;

    public AveragingConfig {
        if (workers < 1) {
            throw new BadInputException("--workers " + workers + " must be at least 1");
        }
        if (batchSizePerWorker < 1) {
            throw new BadInputException("--batch " + batchSizePerWorker + " must be at least 1");
        }
        if (averagingFrequency < 1) {
            throw new BadInputException("--averaging-frequency " + averagingFrequency + " must be at least 1");
        }
        if (!APPROACHES.contains(approach)) {
            throw new BadInputException("--approach '" + approach + "' is not one of " + String.join(", ", APPROACHES));
        }
        if (threadsPerTask < 1) {
            throw new BadInputException("threads per task " + threadsPerTask + " must be at least 1");
        }
        if (!(adaptiveLrScale > 0) || Double.isInfinite(adaptiveLrScale)) {
            throw new IllegalArgumentException("adaptive learning-rate factor " + adaptiveLrScale);
        }
        if (prefetchBatches < 0) {
            throw new BadInputException("--prefetch " + prefetchBatches + " must be zero or positive");
        }
    }

    /** Workers on the configured learning rates. */
    public AveragingConfig(int workers, int batchSizePerWorker, int averagingFrequency, String approach,
                           int prefetchBatches, int threadsPerTask, long rngSeed, String exportDir) {
        this(workers, batchSizePerWorker, averagingFrequency, approach, prefetchBatches, threadsPerTask, rngSeed,
                exportDir, 1.0);
    }

    /** The defaults for a worker count, batch size and seed. */
    public static AveragingConfig defaults(int workers, int batchSizePerWorker, long rngSeed) {
        return new AveragingConfig(workers, batchSizePerWorker, DEFAULT_AVERAGING_FREQUENCY, DEFAULT_APPROACH,
                DEFAULT_PREFETCH_BATCHES, TaskThreads.DEFAULT_PER_TASK, rngSeed, null);
    }

    public boolean isExport() {
        return EXPORT.equals(approach);
    }
}
