package io.readout.jobs.train;

import io.readout.common.BadInputException;

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
                              double adaptiveLrScale) implements java.io.Serializable {
    public static final String EXPORT = "export";
    public static final String DIRECT = "direct";
    public static final List<String> APPROACHES = List.of(EXPORT, DIRECT);

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

    /** The defaults of {@link TrainingMasters} for a worker count, batch size and seed. */
    public static AveragingConfig defaults(int workers, int batchSizePerWorker, long rngSeed) {
        return new AveragingConfig(workers, batchSizePerWorker, TrainingMasters.DEFAULT_AVERAGING_FREQUENCY,
                TrainingMasters.DEFAULT_APPROACH, TrainingMasters.DEFAULT_PREFETCH_BATCHES,
                TrainingMasters.DEFAULT_THREADS_PER_WORKER, rngSeed, null);
    }

    public boolean isExport() {
        return EXPORT.equals(approach);
    }
}
