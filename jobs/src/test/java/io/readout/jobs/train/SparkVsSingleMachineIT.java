package io.readout.jobs.train;

import io.readout.common.RelativeTolerance;
import io.readout.common.nets.Architecture;
import io.readout.common.nets.NativeKernels;
import io.readout.common.nets.NetworkConfig;
import io.readout.common.nets.Networks;
import io.readout.datasets.ExamplesTable;
import io.readout.datasets.SharedSparkSession;
import io.readout.datasets.Split;
import io.readout.datasets.io.HadoopInputs;
import io.readout.jobs.CliRun;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.readout.common.RelativeTolerance.assertClose;
import static io.readout.common.nets.LayerParams.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Parameter averaging through Spark computes exactly what plain {@link ComputationGraph#fit} does
 * on the same minibatches (the idea of DL4J's {@code TestCompareParameterAveragingSparkVsSingleMachine}):
 * the student CNN on 1x16x16 synthetic images, data through {@link TrainingMasters#minibatchRdd},
 * master from {@link TrainingMasters#build}. The expected parameters come from
 * {@link LocalParameterAveraging}, which redoes dl4j-spark's assignment of minibatches to rounds and
 * workers in one process. Parameters must agree to a few ulps of each layer's largest parameter per step.
 */
class SparkVsSingleMachineIT extends SharedSparkSession {
    /** Training must move some parameter by at least this, or the comparison proves nothing. */
    private static final double MIN_CHANGE = 1e-3;
    private static final long SEED = 7L;
    private static final int TRAIN_EXAMPLES = 192;

    @TempDir
    static Path data;
    private static ExamplesTable table;
    private static Dataset<Row> train;

    @BeforeAll
    static void prepare() {
        String dir = data.resolve("synthetic").toString();
        CliRun run = CliRun.of("prepare", "--dataset", "synthetic", "--out", dir, "--n-train", "" + TRAIN_EXAMPLES,
                "--n-val", "16", "--n-test", "16", "--shards", "1", "--seed", "3");
        assertEquals(0, run.code(), run.err());
        table = ExamplesTable.open(new HadoopInputs(spark.sparkContext().hadoopConfiguration()), dir, "--data");
        train = table.split(spark, Split.TRAIN).cache();
        assertEquals(TRAIN_EXAMPLES, train.count());
    }

    /** One worker, averaging every minibatch: SGD, two fits (epochs) of 6 minibatches in a seeded order. */
    @Test
    void oneWorkerWithSgdMatchesPlainFit() {
        assertSparkMatchesLocal("sgd", 0.1, 1, 32, 1, AveragingConfig.DIRECT, 2);
    }

    /** The same with Adam: its moments must travel with the parameters (saveUpdater) to match. */
    @Test
    void oneWorkerWithAdamMatchesPlainFit() {
        assertSparkMatchesLocal("adam", 1e-3, 1, 32, 1, AveragingConfig.DIRECT, 2);
    }

    /**
     * Two workers, one averaging round (6 minibatches each, averaging frequency 6): the result is the
     * mean of what each worker reaches alone from the same start; export mode too, which must leave
     * nothing behind after {@link TrainingMasters#deleteExports}.
     */
    @ParameterizedTest
    @ValueSource(strings = {AveragingConfig.DIRECT, AveragingConfig.EXPORT})
    void twoWorkersOneRoundIsTheMeanOfLocalFits(String approach) {
        assertSparkMatchesLocal("sgd", 0.1, 2, 16, 6, approach, 1);
    }

    /**
     * Two workers, averaging every 4 minibatches, 6 minibatches each: dl4j-spark alone would make one
     * round and leave 2 minibatches per worker unfitted; TrainingMasters makes two rounds of 3.
     */
    @Test
    void twoWorkersFitEveryMinibatchWhenRoundsDoNotDivide() {
        assertSparkMatchesLocal("sgd", 0.1, 2, 16, 4, AveragingConfig.DIRECT, 1);
    }

    /** Two workers, averaging every 2 minibatches: 3 rounds per fit, two fits, Adam state averaged too. */
    @Test
    void twoWorkersSeveralRoundsWithAdam() {
        assertSparkMatchesLocal("adam", 1e-3, 2, 16, 2, AveragingConfig.DIRECT, 2);
    }

    /**
     * Three workers, 4 minibatches each, 2 rounds, Adam: the driver adds the three results in partition order
     * (dl4j-spark's tree aggregation added them in the order the tasks ended, which moves the last bits).
     */
    @Test
    void threeWorkersAreAddedInPartitionOrder() {
        assertSparkMatchesLocal("adam", 1e-3, 3, 16, 2, AveragingConfig.DIRECT, 2);
    }

    /**
     * A global batch split over two workers (B/2 each, as readout train does by default): the workers' Adam takes
     * √2 times the configured rate, which the oracle's workers are built with; the driver's network keeps its own.
     */
    @Test
    void workersTakeTheAdaptiveFactorAndTheDriverKeepsItsRate() {
        double scale = BatchScope.GLOBAL.adaptiveLrScale(32, 2);
        assertSparkMatchesLocal("adam", 1e-3, 2, 16, 3, AveragingConfig.DIRECT, 1, scale);
    }

    private void assertSparkMatchesLocal(String updater, double lr, int workers, int batch, int averagingFrequency,
                                         String approach, int fits) {
        assertSparkMatchesLocal(updater, lr, workers, batch, averagingFrequency, approach, fits, 1.0);
    }

    private void assertSparkMatchesLocal(String updater, double lr, int workers, int batch, int averagingFrequency,
                                         String approach, int fits, double adaptiveLrScale) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        NetworkConfig config = NetworkConfig.image(Architecture.STUDENT, 1, 16, 16, table.numClasses(), updater, lr, 0,
                SEED);
        Path exportDir = data.resolve("export-" + updater + "-" + workers + "-" + approach + "-" + adaptiveLrScale);
        AveragingConfig averaging = new AveragingConfig(workers, batch, averagingFrequency, approach, 0, 1, SEED,
                exportDir.toUri().toString(), adaptiveLrScale);
        ParameterAveragingTrainingMaster master = TrainingMasters.build(averaging);
        LongAccumulator workerMinibatches = sc.sc().longAccumulator();
        LongAccumulator onFastKernels = sc.sc().longAccumulator();
        master.addHook(new RecordKernels(workerMinibatches, onFastKernels));
        SparkComputationGraph sparkNet = new SparkComputationGraph(sc, Networks.build(config), master);
        // The oracle's network: the same parameters (the same seed), its workers at the scaled rate.
        ComputationGraph start = adaptiveLrScale == 1.0 ? sparkNet.getNetwork().clone()
                : Networks.build(NetworkConfig.image(Architecture.STUDENT, 1, 16, 16, table.numClasses(), updater,
                        lr * adaptiveLrScale, 0, SEED));
        assertEquals(0.0, start.params().sub(sparkNet.getNetwork().params()).amaxNumber().doubleValue(), 0.0);
        LocalParameterAveraging local = new LocalParameterAveraging(start, workers, averagingFrequency, SEED);
        // The oracle on as many native threads as each Spark task: oneDNN's reductions depend on the thread count.
        NativeKernels.limitThreads(averaging.threadsPerTask());

        for (int fit = 0; fit < fits; fit++) {
            // Full minibatches in a seeded order, dealt evenly: the oracle never sees dl4j-spark re-batch a
            // worker's data (minibatchRdd's own placement is tested in MinibatchRddIT).
            List<DataSet> ordered = TrainingMasters.minibatchRdd(train, table, 1, batch, 100 + fit).collect();
            JavaRDD<DataSet> rdd = sc.parallelize(ordered, workers).cache();
            List<List<DataSet>> partitions = rdd.glom().collect();
            assertFullMinibatches(partitions, workers, batch);
            local.fit(partitions);
            sparkNet.fit(rdd);
            if (averaging.isExport()) {
                assertTrue(files(exportDir) > 0, "nothing exported under " + exportDir);
                TrainingMasters.deleteExports(sc, master);
                assertEquals(0, files(exportDir), "exported minibatches left under " + exportDir);
            }
            rdd.unpersist();
        }

        Map<String, float[]> expected = snapshot(local.network());
        Map<String, float[]> actual = snapshot(sparkNet.getNetwork());
        double change = maxAbsDiff(start.params(), local.network().params());
        double diff = expected.keySet().stream()
                .mapToDouble(layer -> RelativeTolerance.maxRelativeDifference(expected.get(layer), actual.get(layer)))
                .max().orElseThrow();
        System.out.printf("%s, %d worker(s), K=%d, %s: parameters moved %.4f, Spark vs local max |diff| %.2e"
                + " of a layer's largest parameter%n", updater, workers, averagingFrequency, approach,
                change, diff);
        assertTrue(workerMinibatches.value() > 0);
        assertEquals(NativeKernels.oneDnnEnabled() ? workerMinibatches.value() : 0L, onFastKernels.value(),
                "worker minibatches fitted on oneDNN helpers (" + NativeKernels.describe() + ")");
        assertTrue(change >= MIN_CHANGE, "training moved the parameters by only " + change);
        // The same kernels, threads, minibatches and order of addition on both sides: observed equal (AVX2 and
        // SSE4.1). The tolerance allows each worker step to leave a parameter 4 ulps apart (p - step and the round's
        // mean, rounded on either side), compounded over the steps, should a CPU's kernels not be deterministic
        // call to call; a skipped minibatch or another learning rate is far outside it. (With the oracle on DL4J's
        // built-in kernels instead, 12 steps end 10 ulps apart under Adam, 1 under SGD.)
        double rtol = 4 * fits * (TRAIN_EXAMPLES / workers / batch) * RelativeTolerance.FLOAT_EPSILON;
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((layer, p) -> assertClose(p, actual.get(layer), rtol, "Spark vs local, " + layer));
        assertEquals(lr, ((BaseLayer) sparkNet.getNetwork().getLayer(Networks.CONV1)
                .conf().getLayer()).getIUpdater().getLearningRate(0, 0), 0.0, "the driver's rate is the configured one");
        if (workers == 1) {
            snapshot(local.sequentialFit()).forEach((layer, p) ->
                    assertClose(p, actual.get(layer), rtol, "Spark vs a plain sequential fit, " + layer));
        }
    }

    /** Counts worker minibatches, and those whose network had the oneDNN helpers when it fitted them. */
    private static final class RecordKernels extends TrainingMasters.BeforeEachMinibatch {
        private final LongAccumulator minibatches;
        private final LongAccumulator engaged;

        RecordKernels(LongAccumulator minibatches, LongAccumulator engaged) {
            this.minibatches = minibatches;
            this.engaged = engaged;
        }

        @Override
        protected void before(Model model) {
            minibatches.add(1);
            if (NativeKernels.engaged((ComputationGraph) model)) {
                engaged.add(1);
            }
        }
    }

    /** The oracle assumes worker minibatches are never re-batched: all full, one partition per worker. */
    private static void assertFullMinibatches(List<List<DataSet>> partitions, int workers, int batch) {
        assertEquals(workers, partitions.size(), "partitions");
        for (List<DataSet> p : partitions) {
            assertEquals(TRAIN_EXAMPLES / workers / batch, p.size(), "minibatches in a partition");
            for (DataSet d : p) {
                assertEquals(batch, d.numExamples(), "examples in a minibatch");
            }
        }
    }

    private static double maxAbsDiff(INDArray a, INDArray b) {
        return a.sub(b).amaxNumber().doubleValue();
    }

    private static long files(Path dir) {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
