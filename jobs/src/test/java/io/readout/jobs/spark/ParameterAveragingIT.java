package io.readout.jobs.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.readout.common.BarsProblem;
import io.readout.datasets.SharedSparkSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import io.readout.jobs.train.AveragingConfig;
import io.readout.jobs.train.TrainingMasters;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.BlockManager;
import org.apache.spark.storage.BlockResult;
import org.apache.spark.storage.BroadcastBlockId;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;
import scala.Option;
import scala.collection.Iterator;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/**
 * Proves dl4j-spark 1.0.0-M2 (built against Spark 3.1) trains on Spark 3.5 with the trimmed
 * dependency set: a {@link SparkComputationGraph} with a {@link ParameterAveragingTrainingMaster}
 * (2 workers, 16 examples per worker minibatch, averaging every 2 minibatches, Adam state kept
 * across averaging rounds) fits {@link BarsProblem} from a {@code JavaRDD<DataSet>} and improves
 * its loss and held-out accuracy by stated margins.
 */
class ParameterAveragingIT extends SharedSparkSession {
    private static final long SEED = 42L;
    private static final int WORKERS = 2;
    private static final int BATCH_PER_WORKER = 16;
    private static final int AVERAGING_FREQUENCY = 2;
    private static final int TRAIN_EXAMPLES = 512;
    private static final int HELD_OUT_EXAMPLES = 256;
    private static final int EPOCHS = 4;
    /** The final loss must be at most this fraction of the initial one (about ln 2). */
    private static final double LOSS_FACTOR = 0.3;
    private static final double MIN_HELD_OUT_ACCURACY = 0.9;
    private static final double MIN_ACCURACY_GAIN = 0.3;

    @TempDir
    Path exportDir;

    @Test
    void parameterAveragingImprovesLossAndAccuracy() {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<DataSet> train = minibatches(sc, TRAIN_EXAMPLES, SEED).cache();
        JavaRDD<DataSet> heldOut = minibatches(sc, HELD_OUT_EXAMPLES, SEED + 1).cache();

        ParameterAveragingTrainingMaster master =
                new ParameterAveragingTrainingMaster.Builder(WORKERS, BATCH_PER_WORKER)
                        .batchSizePerWorker(BATCH_PER_WORKER)
                        .averagingFrequency(AVERAGING_FREQUENCY)
                        .workerPrefetchNumBatches(0)
                        // Defaults to false in M2: Adam's moments would restart every round.
                        .saveUpdater(true)
                        .rngSeed(SEED)
                        // The default approach: minibatches exported to files, then fitted.
                        .rddTrainingApproach(RDDTrainingApproach.Export)
                        .exportDirectory(exportDir.toUri().toString())
                        .build();
        SparkComputationGraph sparkNet =
                new SparkComputationGraph(sc, BarsProblem.network(SEED), master);

        double initialLoss = sparkNet.calculateScore(train, true);
        double initialAccuracy = sparkNet.<Evaluation>evaluate(heldOut).accuracy();
        long start = System.nanoTime();
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            sparkNet.fit(train);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double finalLoss = sparkNet.calculateScore(train, true);
        double finalAccuracy = sparkNet.<Evaluation>evaluate(heldOut).accuracy();
        ComputationGraph net = sparkNet.getNetwork();
        System.out.printf("%d epochs in %.1f s: loss %.4f -> %.4f, held-out accuracy %.3f -> %.3f,"
                        + " %d iterations%n", EPOCHS, seconds, initialLoss, finalLoss,
                initialAccuracy, finalAccuracy, net.getIterationCount());

        // Iterations are counted per worker: each fits 512 / (2 x 16) minibatches an epoch.
        assertEquals(EPOCHS * TRAIN_EXAMPLES / (WORKERS * BATCH_PER_WORKER),
                net.getIterationCount());
        assertTrue(exportedFiles() > 0, "nothing exported under " + exportDir);
        assertTrue(finalLoss <= LOSS_FACTOR * initialLoss,
                "loss " + initialLoss + " -> " + finalLoss + " did not drop by " + LOSS_FACTOR);
        assertTrue(finalAccuracy >= MIN_HELD_OUT_ACCURACY,
                "held-out accuracy " + finalAccuracy + " < " + MIN_HELD_OUT_ACCURACY);
        assertTrue(finalAccuracy - initialAccuracy >= MIN_ACCURACY_GAIN,
                "accuracy gained only " + (finalAccuracy - initialAccuracy));
    }

    @Test
    void updaterStateIsKeptAcrossAveragingRounds() {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<DataSet> train = minibatches(sc, 128, SEED);
        ParameterAveragingTrainingMaster master =
                new ParameterAveragingTrainingMaster.Builder(WORKERS, BATCH_PER_WORKER)
                        .batchSizePerWorker(BATCH_PER_WORKER)
                        .averagingFrequency(AVERAGING_FREQUENCY)
                        .saveUpdater(true)
                        .rngSeed(SEED)
                        .rddTrainingApproach(RDDTrainingApproach.Direct)
                        .build();
        SparkComputationGraph sparkNet =
                new SparkComputationGraph(sc, BarsProblem.network(SEED), master);
        sparkNet.fit(train);
        // With saveUpdater(false) the driver's graph keeps an all-zero Adam state (checked).
        double updaterState = sparkNet.getNetwork().getUpdater().getStateViewArray()
                .norm2Number().doubleValue();
        assertTrue(updaterState > 0, "Adam state was not averaged back to the driver");
    }

    /** readout's master drops each round's network broadcast once the round's results are summed. */
    @Test
    void roundsLeaveNoNetworkBroadcastBehind() {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<DataSet> train = minibatches(sc, 256, SEED);
        ParameterAveragingTrainingMaster master = TrainingMasters.build(new AveragingConfig(WORKERS, BATCH_PER_WORKER,
                AVERAGING_FREQUENCY, AveragingConfig.DIRECT, 0, 1, SEED, null));
        SparkComputationGraph sparkNet = new SparkComputationGraph(sc, BarsProblem.network(SEED), master);
        int before = networkBroadcasts();
        sparkNet.fit(train); // 256 / (2 x 16 x 2) = 4 rounds
        assertEquals(4 * AVERAGING_FREQUENCY, sparkNet.getNetwork().getIterationCount());
        // Destroying a broadcast removes its blocks asynchronously: allow the last round's a moment.
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (networkBroadcasts() > before && System.nanoTime() < deadline) {
            LockSupport.parkNanos(10_000_000L);
        }
        assertEquals(before, networkBroadcasts(), "network broadcasts kept in the block manager after the fit");
    }

    /** The broadcast networks the driver's block manager holds. */
    private static int networkBroadcasts() {
        BlockManager blocks = SparkEnv.get().blockManager();
        Seq<BlockId> ids = blocks.getMatchingBlockIds(id -> id instanceof BroadcastBlockId b && b.field().isEmpty());
        int networks = 0;
        for (BlockId id : JavaConverters.seqAsJavaList(ids)) {
            Option<BlockResult> held = blocks.getLocalValues(id);
            if (held.isDefined()) {
                Iterator<Object> values = held.get().data();
                while (values.hasNext()) { // read to the end: that releases the block's read lock
                    if (values.next() instanceof NetBroadcastTuple) {
                        networks++;
                    }
                }
            }
        }
        return networks;
    }

    /** Export mode writes its minibatches under the configured directory, not hadoop.tmp.dir. */
    private long exportedFiles() {
        try (Stream<Path> files = Files.walk(exportDir)) {
            return files.filter(Files::isRegularFile).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The examples as an RDD of 16-example DataSets in two partitions, as training reads them. */
    private static JavaRDD<DataSet> minibatches(JavaSparkContext sc, int n, long seed) {
        List<DataSet> batches = BarsProblem.examples(n, seed).batchBy(BATCH_PER_WORKER);
        assertEquals(n / BATCH_PER_WORKER, batches.size());
        return sc.parallelize(batches, WORKERS);
    }
}
