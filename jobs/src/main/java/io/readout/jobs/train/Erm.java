package io.readout.jobs.train;

import io.readout.datasets.ExamplesTable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;

/**
 * {@code train --method erm}: empirical risk minimisation, cross-entropy on the examples' labels with the
 * network as {@link io.readout.common.nets.Networks} builds it. It has no options of its own. {@link Jtt}
 * trains it twice.
 */
class Erm implements TrainingMethod {
    final ExamplesTable table;
    final TrainConfig config;

    Erm(ExamplesTable table, TrainConfig config) {
        this.table = table;
        this.config = config;
    }

    @Override
    public void fit(SparkComputationGraph sparkNet, Dataset<Row> train, Column copies, int workers, int epoch,
                    long shuffleSeed) {
        sparkNet.fit(TrainingMasters.minibatchRdd(train, copies, table, workers, config.workerBatch(workers),
                shuffleSeed));
    }
}
