package io.readout.jobs.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.readout.common.BarsProblem;
import io.readout.datasets.SharedSparkSession;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A worker that keeps its network between averaging rounds ({@link TrainingMasters.KeptNetworkWorker}) trains to
 * the same bits as dl4j-spark's new network per round: parameters, Adam's state and the counts, over two fits.
 */
class KeptNetworkWorkerIT extends SharedSparkSession {
    private static final long SEED = 5L;

    /** Two epochs of 2 workers, minibatches of 16, averaging every 2: 4 rounds each. */
    private static ComputationGraph trained(JavaRDD<DataSet> train) {
        SparkComputationGraph sparkNet = new SparkComputationGraph(
                JavaSparkContext.fromSparkContext(spark.sparkContext()), BarsProblem.network(SEED),
                TrainingMasters.build(new AveragingConfig(2, 16, 2, AveragingConfig.DIRECT, 0, 1, SEED, null)));
        sparkNet.fit(train);
        sparkNet.fit(train);
        return sparkNet.getNetwork();
    }

    @Test
    void aKeptNetworkTrainsToTheBitsOfANewOne() {
        JavaRDD<DataSet> train = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(BarsProblem.examples(256, SEED).batchBy(16), 2);
        long keptBefore = TrainingMasters.KeptNetworkWorker.keptRounds();
        ComputationGraph kept = trained(train);
        long keptRounds = TrainingMasters.KeptNetworkWorker.keptRounds() - keptBefore;

        System.setProperty(TrainingMasters.NEW_NETWORK_PROPERTY, "true");
        ComputationGraph fresh;
        long keptWhenOff;
        try {
            long before = TrainingMasters.KeptNetworkWorker.keptRounds();
            fresh = trained(train);
            keptWhenOff = TrainingMasters.KeptNetworkWorker.keptRounds() - before;
        } finally {
            System.clearProperty(TrainingMasters.NEW_NETWORK_PROPERTY);
        }

        // 8 rounds of 2 workers; each task thread builds its network once at most, local[2] has 2 task threads.
        assertTrue(keptRounds >= 8, "only " + keptRounds + " of 16 worker rounds started from a kept network");
        assertEquals(0, keptWhenOff);
        assertArrayEquals(fresh.params().toFloatVector(), kept.params().toFloatVector(), "parameters, to the bit");
        assertArrayEquals(fresh.getUpdater().getStateViewArray().toFloatVector(),
                kept.getUpdater().getStateViewArray().toFloatVector(), "Adam's state, to the bit");
        assertEquals(fresh.getIterationCount(), kept.getIterationCount());
        assertEquals(fresh.getEpochCount(), kept.getEpochCount());
    }
}
