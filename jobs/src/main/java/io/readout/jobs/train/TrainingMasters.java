package io.readout.jobs.train;

import io.readout.common.nets.AdaptiveRates;
import io.readout.common.nets.NativeKernels;
import io.readout.datasets.ExamplesSchema;
import io.readout.datasets.ExamplesTable;
import io.readout.datasets.Minibatches;
import io.readout.jobs.spark.CompactNetBroadcast;
import io.readout.jobs.spark.TaskGpu;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaRDDLike;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.core.storage.StatsStorageRouterProvider;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.RepartitionStrategy;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.api.WorkerConfiguration;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.deeplearning4j.spark.impl.common.SplitPartitionsFunction;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingResult;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingWorker;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import static org.apache.spark.sql.functions.array_repeat;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * The one place that builds dl4j-spark's {@link ParameterAveragingTrainingMaster}, and the
 * minibatch RDD it trains on.
 *
 * <p>How dl4j-spark 1.0.0-M2 runs one {@code fit(JavaRDD<DataSet>)} (read from its source; the
 * ITs in {@code io.readout.jobs.train} check it parameter for parameter): it counts the DataSets
 * (N), splits them into averaging rounds by dealing each partition's DataSets in order, a seeded
 * random permutation per group of {@code rounds} consecutive DataSets, one DataSet to each round
 * (seed: {@code rngSeed}'s {@code Random.nextLong()} of this fit plus the partition index). The
 * rounds run one after another; in a round each partition is one worker, which starts from the
 * driver's parameters and updater state, fits at most {@code averagingFrequency} of its DataSets in
 * order (a partition dealt more is cut there), and the driver then takes the mean of the workers'
 * parameters and updater states. dl4j-spark makes {@code floor(N / (workers · averagingFrequency))}
 * rounds, so the remainder is dealt on top and not fitted; here it is {@code ceil} ({@link
 * ReadoutTrainingMaster#getSplitRDDs}), so every DataSet is fitted.
 *
 * <p>Settings: {@code saveUpdater(true)} always (it defaults to false in M2, and Adam's moments
 * would restart every round); workers resume the driver's iteration count ({@link ResumeCounts}); no repartitioning by dl4j-spark when the RDD already has one
 * partition per worker ({@link #minibatchRdd} makes sure of that, and each round keeps the
 * partitions); no training statistics.
 */
public final class TrainingMasters {
    /**
     * How direct mode keeps the minibatch RDD while its rounds are cut out of it: as objects. Every
     * round reads every partition in full, so serialised storage (dl4j-spark's default) deserialises
     * each minibatch once per round: 1,018 examples/s against 1,089.
     */
    public static final StorageLevel DIRECT_STORAGE_LEVEL = StorageLevel.MEMORY_ONLY();

    /** The column of {@link #minibatchRdd}'s per-call shuffle. */
    static final String SHUFFLE_KEY = "_shuffle";
    /** The column of {@link #minibatchRdd}'s repeated rows. */
    static final String COPY = "_copy";

    private TrainingMasters() {
    }

    /** The training master of a config. */
    public static ParameterAveragingTrainingMaster build(AveragingConfig c) {
        return build(c, DIRECT_STORAGE_LEVEL);
    }

    public static ParameterAveragingTrainingMaster build(AveragingConfig c, StorageLevel directStorage) {
        ParameterAveragingTrainingMaster.Builder b = new ParameterAveragingTrainingMaster.Builder(c.workers(),
                c.batchSizePerWorker())
                .batchSizePerWorker(c.batchSizePerWorker())
                .averagingFrequency(c.averagingFrequency())
                .workerPrefetchNumBatches(c.prefetchBatches())
                .saveUpdater(true)
                // A no-op when each round has one partition per worker (what minibatchRdd gives); a balanced
                // repartition otherwise (e.g. export mode's path files read back in more splits).
                .repartionData(Repartition.NumPartitionsWorkersDiffers)
                .repartitionStrategy(RepartitionStrategy.Balanced)
                .storageLevel(directStorage)
                .rngSeed(c.rngSeed())
                .collectTrainingStats(false)
                .rddTrainingApproach(c.isExport() ? RDDTrainingApproach.Export : RDDTrainingApproach.Direct);
        if (c.exportDir() != null) {
            b.exportDirectory(c.exportDir());
        }
        return new ReadoutTrainingMaster(b, c.threadsPerTask(), c.adaptiveLrScale());
    }

    /**
     * Deletes what export mode wrote for this master (all its fits), so nothing piles up under
     * {@code hadoop.tmp.dir} or the export folder. Call after each fit; a no-op in direct mode.
     */
    public static void deleteExports(JavaSparkContext sc, ParameterAveragingTrainingMaster master) {
        master.deleteTempFiles(sc);
        if (master instanceof ReadoutTrainingMaster owned && owned.folder() != null) {
            Path folder = new Path(owned.folder());
            try {
                FileSystem fs = folder.getFileSystem(sc.hadoopConfiguration());
                if (fs.exists(folder) && !fs.delete(folder, true)) {
                    throw new IOException("cannot delete " + folder);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("deleting exported minibatches", e);
            }
        }
    }

    /**
     * The examples as minibatches of {@code batchSize}, in exactly {@code workers} partitions, each in an
     * order drawn from {@code shuffleSeed}. Rows never reach the driver: the shuffle is a Spark repartition,
     * and each partition becomes DataSets on its executor. A partition's last minibatch may be smaller.
     */
    public static JavaRDD<DataSet> minibatchRdd(Dataset<Row> examples, ExamplesTable table, int workers,
                                                int batchSize, long shuffleSeed) {
        return minibatchRdd(examples, null, table, workers, batchSize, shuffleSeed);
    }

    /**
     * As {@link #minibatchRdd(Dataset, ExamplesTable, int, int, long)}, with each row taken {@code copies}
     * times: an int column over the examples' columns (0 leaves a row out; null: each row once). The
     * copies become separate rows before the shuffle, each placed on its own (JTT's upsampled error set).
     */
    public static JavaRDD<DataSet> minibatchRdd(Dataset<Row> examples, Column copies, ExamplesTable table,
                                                int workers, int batchSize, long shuffleSeed) {
        Dataset<Row> taken = examples.select(col(ExamplesSchema.ID), col(ExamplesSchema.LABEL),
                col(ExamplesSchema.FEATURES));
        if (copies != null) {
            taken = examples.select(col(ExamplesSchema.ID), col(ExamplesSchema.LABEL), col(ExamplesSchema.FEATURES),
                    posexplode(array_repeat(lit(true), copies)).as(new String[] {COPY, "_taken"})).drop("_taken");
        }
        return minibatchRdd(taken, workers, batchSize, shuffleSeed, rows -> Minibatches.dataSet(rows, table));
    }

    /** Turns the rows of one minibatch into what a worker fits; runs on the executors. */
    @FunctionalInterface
    public interface MinibatchAssembly<T> extends Serializable {
        T assemble(List<Row> rows);
    }

    /**
     * Any rows (e.g. examples joined with teacher probabilities) as minibatches of {@code batchSize}
     * built by {@code assembly} on the executors, shuffled and dealt to {@code workers} partitions as
     * {@link #minibatchRdd(Dataset, ExamplesTable, int, int, long)} does. {@code rows} must hold the
     * examples' {@code id} (and {@value #COPY}, the copy's number, where a row is taken more than once),
     * and otherwise only the columns {@code assembly} reads.
     *
     * <p>Each row's place is a function of the seed and its id alone: its key is
     * {@code xxhash64(shuffleSeed, id[, copy])}, its worker the key's hash partition and its position the
     * key's order within the worker. How the rows arrive (Parquet files, splits, a join's partitions, the
     * machine's core count) changes nothing, so the same data, seed and worker count give the same
     * minibatches in every process. Workers get near-equal shares (a binomial spread: ±√(N/W) rows), and
     * the rounds are counted from the largest share so that none is cut ({@link ReadoutTrainingMaster}).
     */
    public static <T> JavaRDD<T> minibatchRdd(Dataset<Row> rows, int workers, int batchSize, long shuffleSeed,
                                              MinibatchAssembly<T> assembly) {
        Column seed = shuffleSeedColumn(shuffleSeed);
        Column[] keyed = Arrays.asList(rows.columns()).contains(COPY)
                ? new Column[] {seed, col(ExamplesSchema.ID), col(COPY)}
                : new Column[] {seed, col(ExamplesSchema.ID)};
        Dataset<Row> shuffled = rows
                .withColumn(SHUFFLE_KEY, xxhash64(keyed))
                .repartition(workers, col(SHUFFLE_KEY))
                .sortWithinPartitions(SHUFFLE_KEY, ExamplesSchema.ID);
        return shuffled.javaRDD().mapPartitions(partition -> {
            Iterator<List<Row>> batches = Minibatches.batches(partition, batchSize);
            return new Iterator<T>() {
                @Override
                public boolean hasNext() {
                    return batches.hasNext();
                }

                @Override
                public T next() {
                    return assembly.assemble(batches.next());
                }
            };
        });
    }

    /**
     * The shuffle seed as {@code xxhash64}'s first input: its 8 bytes, little-endian, as a binary literal. Spark's
     * XXH64 hashes 8 bytes read as a little-endian long exactly as it hashes that long ({@code hashUnsafeBytes} and
     * {@code hashLong} are the same steps), so every key is the one {@code lit(shuffleSeed)} gives. A long literal is
     * written into the generated Java code, so each epoch's new seed made Spark compile the shuffle's stages again
     * (and the JIT compile the new classes) on the driver, while the workers train; a binary literal is passed to
     * the generated code as a reference, and one compiled plan serves every seed.
     */
    static Column shuffleSeedColumn(long shuffleSeed) {
        return lit(ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(shuffleSeed).array());
    }

    /**
     * dl4j-spark's master with two repairs: its export folder is known
     * ({@code <exportDirectory>/<trainingMasterUID>/}, for {@link #deleteExports}), and each round's
     * workers resume the driver's iteration and epoch counts ({@link ResumeCounts}).
     */
    private static final class ReadoutTrainingMaster extends ParameterAveragingTrainingMaster {
        private final int threadsPerTask;
        private final double adaptiveLrScale;
        /** The running round's network, until its results are summed ({@link #releaseRoundBroadcast}). */
        private transient Broadcast<NetBroadcastTuple> roundBroadcast;
        /** Objects per partition of the RDD last counted by {@link #getTotalDataSetObjectCount}. */
        private long[] partitionCounts;

        ReadoutTrainingMaster(Builder builder, int threadsPerTask, double adaptiveLrScale) {
            super(builder);
            this.threadsPerTask = threadsPerTask;
            this.adaptiveLrScale = adaptiveLrScale;
        }

        /** The count of every partition, in the one job dl4j-spark runs to count them all. */
        @Override
        protected <T, Repr extends JavaRDDLike<T, Repr>> long getTotalDataSetObjectCount(JavaRDDLike<T, Repr> data) {
            List<Long> counts = data.mapPartitions(it -> {
                long n = 0;
                for (; it.hasNext(); it.next()) {
                    n++;
                }
                return List.of(n).iterator();
            }).collect();
            partitionCounts = counts.stream().mapToLong(Long::longValue).toArray();
            return Arrays.stream(partitionCounts).sum();
        }

        /**
         * The rounds of one fit: enough that no worker is dealt more than K in a round, i.e.
         * {@code ceil(largest partition / K)} (at least {@code ceil(N / (workers · K))}), where dl4j-spark takes
         * {@code floor(N / (workers · K))} and then leaves unfitted whatever a worker is dealt beyond K (up to a
         * sixth of an epoch at K=10 on 3,000 examples). Dealt exactly as dl4j-spark deals
         * (SplitPartitionsFunction, one seed drawn per fit): each partition's objects in turn, a seeded
         * permutation of the rounds per run of {@code rounds} objects.
         */
        @Override
        @SuppressWarnings("unchecked")
        protected <T> JavaRDD<T>[] getSplitRDDs(JavaRDD<T> data, int total, int examplesPerObject) {
            int perRound = getNumDataSetObjectsPerSplit(examplesPerObject);
            long seed = rng.nextLong();
            int rounds = (total + perRound - 1) / perRound;
            if (partitionCounts != null && Arrays.stream(partitionCounts).sum() == total
                    && partitionCounts.length == data.getNumPartitions()) {
                long largest = Arrays.stream(partitionCounts).max().orElse(0);
                rounds = Math.max(rounds, (int) ((largest + averagingFrequency - 1) / averagingFrequency));
            }
            if (rounds <= 1) {
                return new JavaRDD[] {onTaskGpu(data)};
            }
            JavaRDD<T>[] splits = new JavaRDD[rounds];
            for (int i = 0; i < rounds; i++) {
                splits[i] = onTaskGpu(data.mapPartitionsWithIndex(new SplitPartitionsFunction<>(i, rounds, seed), true));
            }
            return splits;
        }

        /**
         * One round's results into the driver's network: the workers' parameters, updater states and scores
         * summed in partition order ({@link WorkerResults}: the same bits whichever task ends first), then
         * divided by the workers. Then the iteration count moves on by K, as dl4j-spark's does.
         */
        @Override
        protected void processResults(SparkDl4jMultiLayer network, SparkComputationGraph graph,
                                      JavaRDD<ParameterAveragingTrainingResult> results, int splitNum, int totalSplits) {
            if (graph == null) {
                super.processResults(network, null, results, splitNum, totalSplits);
                return;
            }
            WorkerResults.Sum sum;
            try {
                sum = WorkerResults.sum(results);
            } finally {
                releaseRoundBroadcast();
            }
            if (sum == null) {
                return; // no worker had data in this round
            }
            ComputationGraph net = graph.getNetwork();
            net.setParams(sum.params().divi(sum.count()));
            if (sum.updaterState() != null) {
                net.getUpdater().setStateViewArray(sum.updaterState().divi(sum.count()));
            }
            graph.setScore(sum.score() / sum.count());
            ComputationGraphConfiguration conf = net.getConfiguration();
            conf.setIterationCount(conf.getIterationCount() + averagingFrequency);
        }

        /**
         * A round's partitions, read on a task thread pinned to the task's GPU ({@link TaskGpu}; a no-op on
         * CPU): dl4j-spark's worker pulls the first minibatch from here before it builds its network, so the
         * network's arrays are allocated on that GPU, not on the thread's default device.
         */
        private static <T> JavaRDD<T> onTaskGpu(JavaRDD<T> round) {
            return round.mapPartitions(partition -> {
                TaskGpu.pinThisThread();
                return partition;
            }, true);
        }

        @Override
        public ParameterAveragingTrainingWorker getWorkerInstance(SparkComputationGraph graph) {
            ComputationGraph net = graph.getNetwork();
            ComputationGraphConfiguration driver = net.getConfiguration();
            List<TrainingHook> hooks = new ArrayList<>();
            hooks.add(new TaskKernels(threadsPerTask));
            hooks.add(new ResumeCounts(driver.getIterationCount(), driver.getEpochCount()));
            if (trainingHookList != null) {
                hooks.addAll(trainingHookList);
            }
            // As dl4j-spark's own, but the workers build their networks from a copy whose adaptive updaters take
            // the averaging config's factor (AdaptiveRates); the driver's network keeps the configured rates.
            ComputationGraphConfiguration workers = AdaptiveRates.scaled(driver, adaptiveLrScale);
            Broadcast<NetBroadcastTuple> broadcast = graph.getSparkContext().broadcast(new CompactNetBroadcast(
                    workers, net.params(), net.getUpdater().getStateViewArray()));
            WorkerConfiguration worker = new WorkerConfiguration(true, rddDataSetNumExamples, batchSizePerWorker,
                    averagingFrequency, prefetchNumBatches, collectTrainingStats);
            releaseRoundBroadcast();
            roundBroadcast = broadcast;
            boolean keepable = saveUpdater && !collectTrainingStats && (listeners == null || listeners.isEmpty())
                    && !Boolean.getBoolean(NEW_NETWORK_PROPERTY);
            return new KeptNetworkWorker(broadcast, saveUpdater, worker, hooks, listeners, getRouterProvider(),
                    keepable ? KeptNetworkWorker.structure(workers) : null);
        }

        /**
         * Drops the round's broadcast once its results are in. dl4j-spark never does: every round's network (10 MB
         * for the teacher: parameters and Adam's moments) stayed in the block managers until a garbage collection
         * let Spark's cleaner find it, and spilled to disk once storage memory was full.
         */
        private void releaseRoundBroadcast() {
            if (roundBroadcast != null) {
                roundBroadcast.destroy();
                roundBroadcast = null;
            }
        }

        /** Null until the first export. */
        String folder() {
            return exportDirectory == null ? null
                    : exportDirectory + (exportDirectory.endsWith("/") ? "" : "/") + trainingMasterUID;
        }
    }

    /**
     * Set to true to build every round's worker network anew, as dl4j-spark does: a lever for side-by-side
     * measurements ({@link KeptNetworkWorker}).
     */
    public static final String NEW_NETWORK_PROPERTY = "readout.spark.newNetworkEachRound";

    /**
     * dl4j-spark's worker, except that a task thread keeps the network it trained in the last round and, when the
     * next round's network has the same configuration, sets the broadcast parameters and updater state into it instead
     * of building a new one: the configuration's copy, the graph's layers and parameter views, and the updater
     * (20 ms of a teacher round, 2.6 ms of a student's, on the Intel Xeon; {@code worker-probe-intel.txt}), and the
     * round's minibatches ran 2-4 % faster on a network whose workspaces were already warm (the same probe).
     *
     * <p>The same bits as a new network: the parameters and updater state are copied in whole, the iteration and
     * epoch counts start at 0 as on a new network's cloned configuration ({@link ResumeCounts} then sets the driver's),
     * and {@code clear()} drops the last round's inputs and kept activations. It keeps only when the round carries an
     * updater state (readout always saves it) and has no listeners or statistics, which a new network would start
     * afresh. One network stays referenced per task thread until the thread ends or trains another configuration.
     */
    static final class KeptNetworkWorker extends ParameterAveragingTrainingWorker {
        private static final ThreadLocal<Kept> KEPT = new ThreadLocal<>();
        /** Rounds in this JVM that started from a kept network (for tests and logs). */
        private static final LongAdder KEPT_ROUNDS = new LongAdder();

        private final Broadcast<NetBroadcastTuple> network;
        /** The workers' configuration without its counts; null: never keep. */
        private final String structure;

        private record Kept(String structure, ComputationGraph net) {
        }

        KeptNetworkWorker(Broadcast<NetBroadcastTuple> network, boolean saveUpdater, WorkerConfiguration configuration,
                          List<TrainingHook> hooks, Collection<TrainingListener> listeners,
                          StatsStorageRouterProvider router, String structure) {
            super(network, saveUpdater, configuration, hooks, listeners, router);
            this.network = network;
            this.structure = structure;
        }

        /** How many rounds in this JVM started from a kept network. */
        static long keptRounds() {
            return KEPT_ROUNDS.sum();
        }

        /** A configuration as JSON, without the iteration and epoch counts that move on every round. */
        static String structure(ComputationGraphConfiguration conf) {
            return conf.clone().toJson(); // clone() drops the counts
        }

        @Override
        public ComputationGraph getInitialModelGraph() {
            Kept kept = KEPT.get();
            NetBroadcastTuple tuple = structure == null ? null : network.getValue();
            if (kept != null && tuple != null && tuple.getUpdaterState() != null
                    && kept.structure().equals(structure)) {
                ComputationGraph net = kept.net();
                net.clear();
                net.setParams(tuple.getParameters());
                net.getUpdater().setStateViewArray(tuple.getUpdaterState());
                net.getConfiguration().setIterationCount(0);
                net.getConfiguration().setEpochCount(0);
                KEPT_ROUNDS.increment();
                return net;
            }
            ComputationGraph net = super.getInitialModelGraph();
            if (structure != null) {
                KEPT.set(new Kept(structure, net));
            }
            return net;
        }
    }

    /**
     * A worker hook that acts before every minibatch a worker fits, whatever dl4j-spark hands over
     * (for a ComputationGraph it calls the MultiDataSet variant).
     */
    public abstract static class BeforeEachMinibatch implements TrainingHook {
        protected abstract void before(Model model);

        @Override
        public void preUpdate(org.nd4j.linalg.dataset.api.DataSet minibatch, Model model) {
            before(model);
        }

        @Override
        public void postUpdate(org.nd4j.linalg.dataset.api.DataSet minibatch, Model model) {
        }

        @Override
        public void preUpdate(MultiDataSet minibatch, Model model) {
            before(model);
        }

        @Override
        public void postUpdate(MultiDataSet minibatch, Model model) {
        }
    }

    /**
     * Puts a worker's network on the fastest kernels and its task thread on its share of the cores (and on
     * the task's GPU, if Spark assigned one: {@link TaskGpu}), before each minibatch. dl4j-spark builds each round's worker network from the configuration and
     * the broadcast parameters, without the oneDNN helpers that {@link NativeKernels#engage} attaches
     * (about 5x slower convolutions otherwise), and runs it on a Spark task thread whose OpenMP team
     * size is the machine's core count until this thread sets it.
     */
    static final class TaskKernels extends BeforeEachMinibatch {
        private final int threads;

        TaskKernels(int threads) {
            this.threads = threads;
        }

        @Override
        protected void before(Model model) {
            TaskGpu.pinThisThread();
            NativeKernels.limitThisThread(threads);
            if (model instanceof ComputationGraph g) {
                NativeKernels.engage(g);
            }
        }
    }

    /**
     * Sets a worker's iteration and epoch counts to the driver's before its first minibatch. dl4j-spark
     * M2 builds each round's worker network from {@code ComputationGraphConfiguration.clone()}, which
     * drops both counts, so every round would restart at iteration 0: Adam's bias correction then
     * treats its carried-over moments as first-step estimates (steps about 0.3x as large once the
     * moments have settled) and iteration-based schedules restart. With this hook, one worker with
     * averaging frequency 1 equals a plain fit (SparkVsSingleMachineIT).
     */
    static final class ResumeCounts extends BeforeEachMinibatch {
        private final int iterations;
        private final int epochs;

        ResumeCounts(int iterations, int epochs) {
            this.iterations = iterations;
            this.epochs = epochs;
        }

        @Override
        protected void before(Model model) {
            if (model instanceof ComputationGraph g && g.getConfiguration().getIterationCount() < iterations) {
                g.getConfiguration().setIterationCount(iterations);
                g.getConfiguration().setEpochCount(epochs);
            }
        }
    }
}
