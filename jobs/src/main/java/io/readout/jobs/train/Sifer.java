package io.readout.jobs.train;

import io.readout.common.nets.NetworkConfig;
import io.readout.common.nets.Networks;
import io.readout.datasets.ExamplesSchema;
import io.readout.datasets.ExamplesTable;
import io.readout.datasets.Minibatches;
import io.readout.jobs.passes.Predictions;
import io.readout.jobs.spark.ExactSum;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code train --method sifer}: the feature sieve (Tiwari &amp; Shenoy, ICML 2023) as its official code
 * trains it; its options are {@link SiferOptions} (config.json's {@code "sifer"}). The network carries an aux head at an early block ({@link SiferOptions#auxHead}: behind a
 * stop-gradient, its own updater, SGD with momentum 0.9 at aux-lr; a second output, {@link Networks#READOUT}).
 * Every training step, on each worker:
 * <ol>
 *   <li>identify: cross-entropy of the aux head on the labels, updating only the head;</li>
 *   <li>forget, every {@code forgetEvery} steps: {@link io.readout.common.sifer.ForgettingStep}, the
 *       cross-entropy between the aux softmax and the uniform distribution, updating only the early layers
 *       (plain SGD at forget-lr, times the number of averaging workers unless
 *       {@link SiferOptions#forgetLrScaling} is none: averaging divides each worker's displacement by W);</li>
 *   <li>learn: cross-entropy of the main output on the labels, updating the main network with the run's
 *       updater.</li>
 * </ol>
 * Identify and learn are one fit of the two-output graph on labels [y, y]: the head's gradient depends on
 * the early layers only as they are before the step, and the main gradient does not depend on the head,
 * so the joint step equals identify-then-learn. Forgetting runs in a dl4j-spark training hook
 * ({@link ForgettingHook}) before that fit, in the same minibatch loop; so a forgetting step sees the head
 * before, not after, that minibatch's identification (one step of the head earlier than the official code;
 * the early layers and the learning step see exactly what they see there). Parameter averaging averages
 * the head with the rest.
 *
 * <p>History adds, per epoch: {@value #VAL_AUX_ACCURACY} (the aux head's accuracy on the validation split:
 * how much label signal the early layers still carry for a linear readout), {@value #FORGET_STEPS} (forgetting
 * steps the workers took) and {@value #FORGET_LOSS} (their mean loss, before each step; ln C means the head
 * already predicted uniformly; null without steps). The training loss includes the head's cross-entropy.
 */
public final class Sifer implements TrainingMethod {
    public static final String VAL_AUX_ACCURACY = "val_aux_accuracy";
    public static final String FORGET_STEPS = "forget_steps";
    public static final String FORGET_LOSS = "forget_loss";

    private final SparkSession spark;
    private final TrainConfig config;
    private final SiferOptions options;
    private final ExamplesTable table;
    private long forgetSteps;
    private double forgetLossSum;

    /** The method of a sifer config (its options were validated with the config). */
    Sifer(SparkSession spark, TrainConfig config, ExamplesTable table) {
        if (config.sifer() == null) {
            throw new IllegalStateException("not a sifer config: " + config.method());
        }
        this.spark = spark;
        this.config = config;
        this.options = config.sifer();
        this.table = table;
    }

    @Override
    public NetworkConfig network(NetworkConfig erm) {
        return erm.withReadout(options.auxHead());
    }

    /** The rows and per-epoch shuffle of ERM, each minibatch labelled for both outputs. */
    @Override
    public void fit(SparkComputationGraph sparkNet, Dataset<Row> train, Column copies, int workers, int epoch,
                    long shuffleSeed) {
        if (copies != null) {
            throw new IllegalStateException("sifer takes every training example once per epoch");
        }
        SparkContext sc = spark.sparkContext();
        LongAccumulator steps = sc.longAccumulator("sifer forgetting steps, epoch " + epoch);
        ExactSum losses = ExactSum.register(sc, "sifer forgetting loss, epoch " + epoch);
        if (options.forgets()) {
            // Runs after TrainingMasters' own hooks, which make the iteration count global (TrainingMasters.getWorkerInstance).
            sparkNet.getTrainingMaster().addHook(new ForgettingHook(sparkNet.getNetwork().getConfiguration(),
                    options.forgetEvery(), options.forgetLrOn(workers, config.batchScope()), steps, losses));
        }
        ExamplesTable t = table;
        sparkNet.fitMultiDataSet(TrainingMasters.minibatchRdd(
                train.select(ExamplesSchema.ID, ExamplesSchema.LABEL, ExamplesSchema.FEATURES), workers,
                config.workerBatch(workers), shuffleSeed,
                rows -> jointBatch(Minibatches.dataSet(rows, t))));
        forgetSteps = steps.value();
        forgetLossSum = losses.value();
    }

    /** A minibatch for the two outputs [{@code output}, {@code readout}]: the labels for both. */
    static MultiDataSet jointBatch(DataSet d) {
        INDArray y = d.getLabels();
        return new MultiDataSet(new INDArray[] {d.getFeatures()}, new INDArray[] {y, y.dup()});
    }

    /** The aux head's validation accuracy and the forgetting steps of the epoch's fit. */
    @Override
    public Map<String, Number> validate(ComputationGraph net, Dataset<Row> val) {
        Map<String, Number> figures = new LinkedHashMap<>();
        figures.put(VAL_AUX_ACCURACY, Predictions.accuracy(spark, net, table, val, config.evalBatch(), Networks.READOUT));
        figures.put(FORGET_STEPS, forgetSteps);
        figures.put(FORGET_LOSS, forgetSteps > 0 ? forgetLossSum / forgetSteps : null);
        return figures;
    }
}
